import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { deliveryAdvances } from '../../messages/message.dto.ts';
import { storeProviderEvents } from '../../inbound/inbound-store.ts';
import type { WidgetReceiptPayload } from './widget-payload.ts';
import type { VisitorMessage } from '@switchboard/shared';
import { VISIBLE_OUT_STATUSES, toVisitorMessages } from './widget.dto.ts';

export interface Visitor {
  channel: Row<'channels'>;
  externalId: string;
}

/** The contact behind a visitor, or undefined before their first message was processed. */
export async function visitorContactId(ctx: AppContext, v: Visitor): Promise<string | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('account_id', '=', v.channel.account_id)
    .where('channel_id', '=', v.channel.id)
    .where('external_id', '=', v.externalId)
    .executeTakeFirst();
  return row?.contact_id;
}

/** Messages of every conversation the visitor had on this channel that the visitor may see. */
function visibleMessages(ctx: AppContext, v: Visitor, contactId: string) {
  return ctx.db.kysely
    .selectFrom('messages')
    .selectAll('messages')
    .where('messages.account_id', '=', v.channel.account_id)
    .where('messages.channel_id', '=', v.channel.id)
    .where('messages.conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversations')
        .select('id')
        .where('contact_id', '=', contactId)
        .where('channel_id', '=', v.channel.id)
        .where('account_id', '=', v.channel.account_id),
    )
    .where('messages.private', '=', 0)
    .where((eb) =>
      eb.or([
        eb('messages.direction', '=', 'in'),
        eb('messages.delivery_status', 'in', [...VISIBLE_OUT_STATUSES]),
      ]),
    );
}

export const HISTORY_LIMIT = 100;
export const CATCH_UP_LIMIT = 200;

/**
 * Without `since`: the latest messages (what a widget opens with). With `since`: every message changed at
 * or after that time, oldest change first, resumable with (since, afterId) when `more` is set. Widgets ask
 * with a safety margin before the newest change they saw and merge by id, so a message committed late by
 * a slow transaction on another node is still picked up.
 */
export async function listVisitorMessages(
  ctx: AppContext,
  v: Visitor,
  q: { since?: number; afterId?: string },
): Promise<{ items: VisitorMessage[]; more: boolean }> {
  const contactId = await visitorContactId(ctx, v);
  if (!contactId) return { items: [], more: false };
  const k = ctx.db.kysely;
  if (q.since === undefined) {
    const rows = await visibleMessages(ctx, v, contactId)
      .orderBy('messages.created_at', 'desc')
      .orderBy('messages.id', 'desc')
      .limit(HISTORY_LIMIT)
      .execute();
    return { items: await toVisitorMessages(k, rows.reverse()), more: false };
  }
  const since = q.since;
  const afterId = q.afterId ?? '';
  const rows = await visibleMessages(ctx, v, contactId)
    .where((eb) =>
      eb.or([
        eb('messages.updated_at', '>', since),
        eb.and([eb('messages.updated_at', '=', since), eb('messages.id', '>', afterId)]),
      ]),
    )
    .orderBy('messages.updated_at')
    .orderBy('messages.id')
    .limit(CATCH_UP_LIMIT + 1)
    .execute();
  return {
    items: await toVisitorMessages(k, rows.slice(0, CATCH_UP_LIMIT)),
    more: rows.length > CATCH_UP_LIMIT,
  };
}

/**
 * Stores delivered/read receipts for operator messages of this visitor as a provider event (the worker
 * applies them like any provider's statuses). Ids of other visitors' messages, notes, and receipts that
 * would not move a status forward are dropped, so replays store nothing. Returns the ids that were still
 * queued (the send job had not recorded them yet): the caller may try those again shortly.
 */
export async function recordReceipts(
  ctx: AppContext,
  v: Visitor,
  status: WidgetReceiptPayload['status'],
  messageIds: string[],
): Promise<{ stored: string[]; queued: string[] }> {
  const ids = [...new Set(messageIds)].slice(0, 200);
  const contactId = ids.length ? await visitorContactId(ctx, v) : undefined;
  if (!contactId) return { stored: [], queued: [] };
  const rows = await ctx.db.kysely
    .selectFrom('messages')
    .select(['messages.id', 'messages.delivery_status', 'messages.provider_message_id'])
    .where('messages.id', 'in', ids)
    .where('messages.account_id', '=', v.channel.account_id)
    .where('messages.channel_id', '=', v.channel.id)
    .where('messages.direction', '=', 'out')
    .where('messages.private', '=', 0)
    .where('messages.conversation_id', 'in', (eb) =>
      eb.selectFrom('conversations').select('id').where('contact_id', '=', contactId),
    )
    .execute();
  const queued = rows.filter((r) => r.delivery_status === 'queued').map((r) => r.id);
  const stored = rows
    .filter((r) => r.provider_message_id !== null && deliveryAdvances(r.delivery_status, status))
    .map((r) => r.provider_message_id!);
  if (stored.length > 0) {
    const payload: WidgetReceiptPayload = { type: 'receipt', status, messageIds: stored };
    await storeProviderEvents(ctx, v.channel, [
      { providerEventId: `receipt:${newId(ctx.clock.now())}`, payload, orderKey: v.externalId },
    ]);
  }
  return { stored, queued };
}
