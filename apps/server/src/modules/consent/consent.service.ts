import type { ConsentVia } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { loadContactDto } from '../contacts/contact.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertSystemMessage } from '../routing/automatic-messages/system-message.ts';
import { type KeywordMatch, WEAK_OPT_IN } from './consent-keywords.ts';
import { consentScope } from './consent-scope.ts';

export interface ConsentFlags {
  /** The contact opted out in this scope: nothing may be sent. */
  optedOut: boolean;
  /** Explicit opt-in (their own keyword, or an import with a recorded source). */
  optedIn: boolean;
}

export const NO_CONSENT: ConsentFlags = { optedOut: false, optedIn: false };

/**
 * How a decision was made: the customer's keyword, the provider refusing a send, the REST API (a person's
 * decision), or a contact import (with the batch's recorded source).
 */

/**
 * An opt-out the customer made themselves (their keyword, or the provider reporting their opt-out):
 * only they can lift it (e.g. by texting START), never a colleague's or an import's opt-in.
 */
export function isCustomersOwnOptOut(c: { status: string | null; via: string | null }): boolean {
  return c.status === 'opted_out' && (c.via === 'keyword' || c.via === 'provider');
}

export async function consentRow(
  k: Tx,
  contactId: string,
  scope: string,
): Promise<Row<'contact_consents'> | undefined> {
  return k
    .selectFrom('contact_consents')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('scope', '=', scope)
    .executeTakeFirst();
}

/** The contact's consent where a channel of this type writes to them. */
export async function consentFlags(k: Tx, contactId: string, channelType: string): Promise<ConsentFlags> {
  const row = await consentRow(k, contactId, consentScope(channelType));
  return { optedOut: row?.status === 'opted_out', optedIn: row?.status === 'opted_in' };
}

export interface ConsentChange {
  accountId: string;
  contactId: string;
  scope: string;
  optIn: boolean;
  via: ConsentVia;
  source: string;
}

/**
 * Records a decision (the latest one is the status; the last opt-out and the last opt-in are both kept).
 * Returns the previous status, or null when there was none.
 */
export async function recordConsent(
  ctx: AppContext,
  tx: Tx,
  c: ConsentChange,
): Promise<{ previous: string | null; row: Row<'contact_consents'> }> {
  const now = ctx.clock.now();
  const prev = await tx
    .selectFrom('contact_consents')
    .selectAll()
    .where('contact_id', '=', c.contactId)
    .where('scope', '=', c.scope)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  const status = c.optIn ? 'opted_in' : 'opted_out';
  const decision = c.optIn
    ? { opted_in_at: now, opt_in_via: c.via, opt_in_source: c.source }
    : { opted_out_at: now, opt_out_via: c.via, opt_out_source: c.source };
  const row: Row<'contact_consents'> = {
    contact_id: c.contactId,
    scope: c.scope,
    account_id: c.accountId,
    status,
    opted_out_at: prev?.opted_out_at ?? null,
    opt_out_via: prev?.opt_out_via ?? null,
    opt_out_source: prev?.opt_out_source ?? null,
    opted_in_at: prev?.opted_in_at ?? null,
    opt_in_via: prev?.opt_in_via ?? null,
    opt_in_source: prev?.opt_in_source ?? null,
    ...decision,
    updated_at: now,
  };
  await tx
    .insertInto('contact_consents')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['contact_id', 'scope']).doUpdateSet({ status, ...decision, updated_at: now }),
    )
    .execute();
  return { previous: prev?.status ?? null, row };
}

const SCOPE_NAMES: Record<string, string> = {
  sms: 'SMS',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  api: 'the API channel',
  widget: 'the website chat',
  vk: 'VK',
  viber: 'Viber',
};

export function scopeName(scope: string): string {
  return SCOPE_NAMES[scope] ?? scope;
}

type ConversationRef = Pick<Row<'conversations'>, 'id' | 'account_id' | 'channel_id' | 'team_id'>;

async function afterChange(
  ctx: AppContext,
  uow: UnitOfWork,
  who: Principal | { accountId: string; userId: null },
  c: ConsentChange,
  conv: ConversationRef | null,
  text: string,
  extra: Record<string, unknown>,
  ip?: string,
): Promise<void> {
  if (conv) {
    await insertSystemMessage(ctx, uow, conv, text, {
      event: 'consent',
      action: c.optIn ? 'opt_in' : 'opt_out',
      scope: c.scope,
      via: c.via,
      ...extra,
    });
  }
  await audit(ctx, uow.tx, who, {
    action: c.optIn ? 'contact.opted_in' : 'contact.opted_out',
    targetType: 'contact',
    targetId: c.contactId,
    details: { scope: c.scope, via: c.via, source: c.source, ...extra },
    ip,
  });
  const dto = await loadContactDto(uow.tx, c.accountId, c.contactId);
  if (dto) uow.emit(c.accountId, 'contact.updated', dto);
}

/**
 * A customer's keyword message (already stored as their message): STOP-like words opt them out of the
 * channel's scope, START-like words opt them in; each change adds a line for colleagues to the
 * conversation and to the audit log. Repeating the current state changes nothing.
 */
export async function applyConsentKeyword(
  ctx: AppContext,
  uow: UnitOfWork,
  e: { channel: Row<'channels'>; contactId: string; conversation: ConversationRef; match: KeywordMatch },
): Promise<void> {
  const { match } = e;
  if (match.action === 'help') return;
  const scope = consentScope(e.channel.type);
  const current = await consentRow(uow.tx, e.contactId, scope);
  const optIn = match.action === 'opt_in';
  if (current?.status === (optIn ? 'opted_in' : 'opted_out')) return;
  if (optIn && WEAK_OPT_IN.has(match.keyword) && current?.status !== 'opted_out') return;
  const change: ConsentChange = {
    accountId: e.channel.account_id,
    contactId: e.contactId,
    scope,
    optIn,
    via: 'keyword',
    source: match.keyword,
  };
  await recordConsent(ctx, uow.tx, change);
  const name = scopeName(scope);
  const text = optIn
    ? `The customer opted in to ${name} by sending ${match.keyword}.`
    : `The customer opted out of ${name} by sending ${match.keyword}: nothing will be sent to them on ${name} until they send START.`;
  await afterChange(
    ctx,
    uow,
    { accountId: e.channel.account_id, userId: null },
    change,
    e.conversation,
    text,
    {
      keyword: match.keyword,
      channelId: e.channel.id,
    },
  );
}

/**
 * The provider refused a send because the customer opted out there (Twilio 21610): remember it, so
 * nothing else is queued for them, and tell colleagues in the conversation.
 */
export async function recordProviderOptOut(
  ctx: AppContext,
  uow: UnitOfWork,
  e: { channel: Row<'channels'>; contactId: string; conversation: ConversationRef; source: string },
): Promise<void> {
  const scope = consentScope(e.channel.type);
  const current = await consentRow(uow.tx, e.contactId, scope);
  if (current?.status === 'opted_out') return;
  const change: ConsentChange = {
    accountId: e.channel.account_id,
    contactId: e.contactId,
    scope,
    optIn: false,
    via: 'provider',
    source: e.source,
  };
  await recordConsent(ctx, uow.tx, change);
  const name = scopeName(scope);
  await afterChange(
    ctx,
    uow,
    { accountId: e.channel.account_id, userId: null },
    change,
    e.conversation,
    `The provider reports that the customer opted out of ${name} (${e.source}): nothing will be sent to them on ${name} until they opt in again.`,
    { channelId: e.channel.id },
  );
}

/**
 * The customer allowed or refused messages at the provider itself (VK `message_allow` / `message_deny`,
 * Viber `subscribed` / `unsubscribed`): their own decision, recorded in the channel's scope with the
 * provider's words as its source. The conversation (when there is one) gets a line for colleagues.
 * Repeating the current status changes nothing; `liftOnly` only ends an opt-out.
 */
export async function recordProviderConsent(
  ctx: AppContext,
  uow: UnitOfWork,
  e: {
    channel: Row<'channels'>;
    contactId: string;
    conversation: ConversationRef | null;
    optIn: boolean;
    source: string;
    liftOnly?: boolean;
  },
): Promise<void> {
  const scope = consentScope(e.channel.type);
  const current = await consentRow(uow.tx, e.contactId, scope);
  if (current?.status === (e.optIn ? 'opted_in' : 'opted_out')) return;
  // Writing to a Viber bot re-subscribes at Viber: it ends an unsubscribe, never a STOP the customer sent.
  if (e.liftOnly && (current?.status !== 'opted_out' || current.opt_out_via !== 'provider')) return;
  const change: ConsentChange = {
    accountId: e.channel.account_id,
    contactId: e.contactId,
    scope,
    optIn: e.optIn,
    via: 'provider',
    source: e.source,
  };
  await recordConsent(ctx, uow.tx, change);
  const name = scopeName(scope);
  // VK reports a customer's first message as allowing messages too: a first opt-in is on record
  // (audited) but adds no line to the conversation; allowing again after a refusal does.
  const conversation = e.optIn && !current ? null : e.conversation;
  const text = e.optIn
    ? `The customer allowed messages from the business on ${name} (${e.source}).`
    : `The customer refused messages from the business on ${name} (${e.source}): nothing will be sent to them on ${name} until they allow messages again.`;
  await afterChange(ctx, uow, { accountId: e.channel.account_id, userId: null }, change, conversation, text, {
    channelId: e.channel.id,
  });
}

/** An operator's, admin's or API client's decision (PUT /contacts/:id/consent). */
export async function recordApiConsent(
  ctx: AppContext,
  uow: UnitOfWork,
  p: Principal,
  c: Omit<ConsentChange, 'via' | 'accountId'>,
  ip?: string,
): Promise<Row<'contact_consents'>> {
  const change: ConsentChange = { ...c, accountId: p.accountId, via: 'api' };
  const { previous, row } = await recordConsent(ctx, uow.tx, change);
  if (previous !== row.status) {
    await afterChange(ctx, uow, p, change, null, '', {}, ip);
  } else {
    // Same status again (a re-import): still on record, with its new source.
    await audit(ctx, uow.tx, p, {
      action: c.optIn ? 'contact.opted_in' : 'contact.opted_out',
      targetType: 'contact',
      targetId: c.contactId,
      details: { scope: c.scope, via: 'api', source: c.source, unchanged: true },
      ip,
    });
  }
  return row;
}

/**
 * A contact import's decision for one contact and scope (`via` import, the batch's source on record).
 * Repeating the current status changes nothing; an opt-in never lifts an opt-out the customer made
 * themselves. Audited per contact when it changes; the caller emits the contact's event.
 */
export async function recordImportConsent(
  ctx: AppContext,
  tx: Tx,
  who: { accountId: string; userId: string | null },
  c: Omit<ConsentChange, 'via' | 'accountId'> & { importId: string },
): Promise<'changed' | 'unchanged' | 'refused'> {
  const current = await tx
    .selectFrom('contact_consents')
    .select(['status', 'opt_out_via', 'opt_out_source'])
    .where('contact_id', '=', c.contactId)
    .where('scope', '=', c.scope)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (current?.status === (c.optIn ? 'opted_in' : 'opted_out')) return 'unchanged';
  if (c.optIn && current && isCustomersOwnOptOut({ status: current.status, via: current.opt_out_via }))
    return 'refused';
  const { importId, ...rest } = c;
  await recordConsent(ctx, tx, { ...rest, accountId: who.accountId, via: 'import' });
  await audit(ctx, tx, who, {
    action: c.optIn ? 'contact.opted_in' : 'contact.opted_out',
    targetType: 'contact',
    targetId: c.contactId,
    details: { scope: c.scope, via: 'import', source: c.source, importId },
  });
  return 'changed';
}
