import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { Principal } from '../../auth/principal.ts';
import { capabilitiesOf } from '../../channels/channel-capabilities.ts';
import { optInLiftsWindow } from '../../consent/consent-scope.ts';
import { type ConsentFlags, NO_CONSENT, consentFlags } from '../../consent/consent.service.ts';
import { loadChannelRouting, loadChannelRoutingById } from '../settings/routing-settings.ts';
import { type UsableTag, channelTags, openTag, usableTags } from './window-tags.ts';

/** Which outbound path asks: every one obeys the window, templates may have a way around it. */
export type SendPath = 'reply' | 'api' | 'automatic' | 'template' | 'broadcast';

/**
 * `opted_in`: the window would be closed (or closing) but the contact's explicit opt-in lets the business
 * write on this channel; `opted_out`: the contact opted out, nothing may be sent, templates included.
 */
export type WindowReason = 'open' | 'unlimited' | 'no_inbound' | 'expired' | 'opted_in' | 'opted_out';

export interface WindowState {
  open: boolean;
  reason: WindowReason;
  /** Window length for this channel; null = unlimited. */
  windowMs: number | null;
  /** Provider's time of the customer's last message (what the window is measured from). */
  lastInboundAt: number | null;
  /** When the window closes (or closed); null when unlimited or the customer never wrote. */
  closesAt: number | null;
  /** What may still be sent while it is closed. */
  fallback: 'template' | 'none';
  /**
   * The standard window has closed, but a provider message tag still lets an operator's own reply
   * through until `closesAt` (Messenger and Instagram `HUMAN_AGENT`, up to 7 days, where the admin
   * enabled it). Never for automatic messages, broadcasts or API clients. Null otherwise.
   */
  tag: { name: string; closesAt: number } | null;
  /**
   * The provider's free session (Viber's 24 hours after the customer's last message), where the channel
   * has one: sending is allowed either way, but outside it (`billable`) the provider bills each message.
   */
  session?: { closesAt: number | null; billable: boolean } | null;
}

/** Provider-approved templates may be sent outside the window only where the provider allows it. */
export function templateAllowedOutsideWindow(channelType: string): boolean {
  return capabilitiesOf(channelType).window.templates;
}

/**
 * Pure window decision. The window runs from the provider's timestamp of the customer's last message
 * (conversation.last_inbound_at is written from it), so a late webhook delivery does not stretch it;
 * it is open strictly before `closesAt`. Consent comes on top: an opt-out closes everything; an explicit
 * opt-in keeps it open (no closing time) on channels whose provider lets the business write first.
 */
export function windowState(
  channelType: string,
  windowMs: number | null,
  lastInboundAt: number | null,
  now: number,
  consent: ConsentFlags = NO_CONSENT,
  tags: UsableTag[] = [],
): WindowState {
  const session = sessionOf(channelType, lastInboundAt, now);
  const base = { ...timeWindow(channelType, windowMs, lastInboundAt, now), ...(session ? { session } : {}) };
  if (consent.optedOut) return { ...base, open: false, reason: 'opted_out', fallback: 'none' };
  if (consent.optedIn && base.reason !== 'unlimited' && optInLiftsWindow(channelType))
    return { ...base, open: true, reason: 'opted_in', closesAt: null };
  if (base.reason === 'expired') return { ...base, tag: openTag(tags, lastInboundAt, now) };
  return base;
}

/** The provider's billable-session state, for channels that declare one (`window.billableSessionMs`). */
function sessionOf(channelType: string, lastInboundAt: number | null, now: number): WindowState['session'] {
  const ms = capabilitiesOf(channelType).window.billableSessionMs;
  if (!ms) return null;
  const closesAt = lastInboundAt === null ? null : lastInboundAt + ms;
  return { closesAt, billable: closesAt === null || now >= closesAt };
}

function timeWindow(
  channelType: string,
  windowMs: number | null,
  lastInboundAt: number | null,
  now: number,
): WindowState {
  const fallback = templateAllowedOutsideWindow(channelType) ? 'template' : 'none';
  if (windowMs === null)
    return { open: true, reason: 'unlimited', windowMs, lastInboundAt, closesAt: null, fallback, tag: null };
  if (lastInboundAt === null)
    return {
      open: false,
      reason: 'no_inbound',
      windowMs,
      lastInboundAt,
      closesAt: null,
      fallback,
      tag: null,
    };
  const closesAt = lastInboundAt + windowMs;
  return {
    open: now < closesAt,
    reason: now < closesAt ? 'open' : 'expired',
    windowMs,
    lastInboundAt,
    closesAt,
    fallback,
    tag: null,
  };
}

/** May this path send now? Templates pass a closed window only where the provider allows it. */
export function sendAllowed(state: WindowState, path: SendPath): boolean {
  return (
    state.open ||
    (path === 'template' && state.fallback === 'template') ||
    // A tag such as HUMAN_AGENT is for a person's answer: an operator's reply, nothing automatic.
    (path === 'reply' && state.tag !== null)
  );
}

/** The provider tag a send on this path must carry (the standard window closed, a tag still open). */
export function tagFor(state: WindowState, path: SendPath): string | null {
  return !state.open && path === 'reply' && state.tag ? state.tag.name : null;
}

export async function conversationWindow(
  k: Tx,
  conv: Pick<Row<'conversations'>, 'channel_id' | 'contact_id' | 'last_inbound_at'>,
  now: number,
  /** The conversation's channel row when the caller has it already: saves reading it twice more. */
  channel?: Row<'channels'>,
): Promise<WindowState> {
  const r = channel ? await loadChannelRouting(k, channel) : await loadChannelRoutingById(k, conv.channel_id);
  const consent = await consentFlags(k, conv.contact_id, r.channelType);
  const tags = channel
    ? usableTags(channel.type, JSON.parse(channel.settings) as Record<string, unknown>)
    : await channelTags(k, conv.channel_id);
  return windowState(r.channelType, r.windowMs, conv.last_inbound_at, now, consent, tags);
}

/** Writes the refusal in `k` (a transaction to commit it with other work, or the pool to commit alone). */
export async function recordRefusal(
  ctx: AppContext,
  k: Tx,
  conv: Pick<Row<'conversations'>, 'id' | 'account_id' | 'channel_id'>,
  path: SendPath,
  actorId: string | null,
  state: WindowState,
): Promise<void> {
  const now = ctx.clock.now();
  await k
    .insertInto('refused_sends')
    .values({
      id: newId(now),
      account_id: conv.account_id,
      conversation_id: conv.id,
      channel_id: conv.channel_id,
      path,
      actor_id: actorId,
      reason: state.reason,
      window_closed_at: state.closesAt,
      created_at: now,
    })
    .execute();
  ctx.log.info(
    { conversationId: conv.id, path, reason: state.reason },
    state.reason === 'opted_out'
      ? 'send refused: contact opted out'
      : 'send refused: messaging window closed',
  );
}

/** The refusal as an API error: `opted_out` for an opted-out contact, `window_closed` otherwise. */
export function sendRefusedError(state: WindowState): DomainError {
  if (state.reason === 'opted_out') {
    return new DomainError(
      'opted_out',
      'The customer opted out of messages on this channel; nothing may be sent to them here until they opt in again (e.g. by texting START)',
      { reason: state.reason, fallback: 'none' },
    );
  }
  const message =
    state.reason === 'no_inbound'
      ? 'The customer has not written in this conversation; the business may not write first here'
      : `The messaging window closed at ${new Date(state.closesAt!).toISOString()}; the customer must write first`;
  return new DomainError('window_closed', message, {
    closedAt: state.closesAt,
    reason: state.reason,
    fallback: state.fallback,
  });
}

/**
 * The check in front of an operator's or API client's reply. A refusal is recorded on its own (the
 * request fails, so there is no transaction to ride on) and answered with `window_closed` or `opted_out`.
 */
export async function assertReplyWindow(
  ctx: AppContext,
  conv: Row<'conversations'>,
  p: Pick<Principal, 'userId' | 'via'>,
  path?: SendPath,
  channel?: Row<'channels'>,
): Promise<void> {
  const state = await conversationWindow(ctx.db.kysely, conv, ctx.clock.now(), channel);
  const sendPath = path ?? (p.via === 'token' ? 'api' : 'reply');
  if (sendAllowed(state, sendPath)) return;
  await recordRefusal(ctx, ctx.db.kysely, conv, sendPath, p.userId, state);
  throw sendRefusedError(state);
}
