import { z } from 'zod';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, ProviderEvent, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { assertMetaSignature, metaHandshake, parseMetaJson } from './meta-webhook.ts';

/**
 * The Messenger Platform's webhook grammar, which Instagram Messaging shares: `{object, entry[{id, time,
 * messaging[] | standby[] | changes[{field, value}]}]}`, each messaging item `{sender, recipient,
 * timestamp, message | message_edit | reaction | delivery | read | postback | …}`. Only the fields
 * Switchboard reads are typed; the rest pass through.
 */

export interface MetaProduct {
  /** Operator-facing product name. */
  label: 'Messenger' | 'Instagram';
  /** The webhook `object` this channel type receives. */
  object: 'page' | 'instagram';
  /** The channel's own account id on Meta (the Page id or the Instagram professional account id). */
  accountId(channel: ChannelRuntime): string;
}

const id = z.union([z.string(), z.number()]).transform(String);
const party = z.looseObject({ id: id.optional(), user_ref: id.optional() });

export const metaMessaging = z.looseObject({
  sender: party.optional(),
  recipient: party.optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
});
export type MetaMessaging = z.infer<typeof metaMessaging> & Record<string, unknown>;

const envelope = z.object({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: id.optional(),
      time: z.unknown().optional(),
      messaging: z.array(z.unknown()).optional(),
      standby: z.array(z.unknown()).optional(),
      changes: z.array(z.looseObject({ field: z.string().optional(), value: z.unknown() })).optional(),
    }),
  ),
});

/** What one stored provider event holds. */
export interface MetaStoredEvent {
  /** The messaging item exactly as Meta sent it. */
  event: MetaMessaging;
  /** It came in `standby` (another app owns the thread): stored, but the customer is not ours to answer. */
  standby?: boolean;
}

/** Epoch ms from Meta's timestamps: ms numbers, seconds (dashboard tests send "1527459824"), or ISO text. */
export function metaTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^\d+$/.test(v.trim())) return metaTime(Number(v));
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

export function partyId(p: { id?: string; user_ref?: string } | undefined): string | null {
  return p?.id ?? p?.user_ref ?? null;
}

/** The idempotency key and order key of one messaging item, or null for kinds Switchboard ignores. */
function keysOf(e: MetaMessaging): { key: string; customer: string } | null {
  const sender = partyId(e.sender);
  const recipient = partyId(e.recipient);
  const ts = metaTime(e.timestamp) ?? 0;
  const message = e.message as { mid?: unknown; is_echo?: unknown; is_deleted?: unknown } | undefined;
  if (message && typeof message.mid === 'string') {
    if (message.is_echo === true)
      return recipient ? { key: `echo:${message.mid}`, customer: recipient } : null;
    if (!sender) return null;
    if (message.is_deleted === true) return { key: `deleted:${message.mid}`, customer: sender };
    return { key: message.mid, customer: sender };
  }
  if (!sender) return null;
  const edit = e.message_edit as { mid?: unknown; num_edit?: unknown } | undefined;
  if (edit && typeof edit.mid === 'string') {
    return { key: `edit:${edit.mid}:${String(edit.num_edit ?? ts)}`, customer: sender };
  }
  const reaction = e.reaction as { mid?: unknown; action?: unknown; emoji?: unknown } | undefined;
  if (reaction && typeof reaction.mid === 'string') {
    return {
      key: `reaction:${reaction.mid}:${sender}:${String(reaction.action ?? '')}:${String(reaction.emoji ?? '')}:${ts}`,
      customer: sender,
    };
  }
  const delivery = e.delivery as { watermark?: unknown; mids?: unknown } | undefined;
  if (delivery) {
    const mids = Array.isArray(delivery.mids) ? delivery.mids.join(',') : '';
    return { key: `delivery:${sender}:${String(delivery.watermark ?? '')}:${mids}`, customer: sender };
  }
  const read = e.read as { watermark?: unknown; mid?: unknown } | undefined;
  if (read) return { key: `read:${sender}:${String(read.watermark ?? read.mid ?? ts)}`, customer: sender };
  const postback = e.postback as { mid?: unknown; payload?: unknown } | undefined;
  if (postback) {
    const k = typeof postback.mid === 'string' ? postback.mid : `${sender}:${ts}:${String(postback.payload)}`;
    return { key: `postback:${k}`, customer: sender };
  }
  return null;
}

/**
 * GET: the subscription handshake. POST: a signed batch, split into one provider event per messaging
 * item. Items for another Page or Instagram account of the same app, and kinds Switchboard does not
 * use (referrals, opt-ins, handover), are acknowledged and dropped.
 */
export function handleMetaMessagingWebhook(
  req: WebhookRequest,
  channel: ChannelRuntime,
  product: MetaProduct,
): WebhookResult {
  if (req.method === 'GET') return metaHandshake(req, channel.credentials.verifyToken);
  assertMetaSignature(req, channel.credentials.appSecret);
  const env = envelope.safeParse(parseMetaJson(req.rawBody));
  if (!env.success) throw new DomainError('validation_error', `Not a ${product.label} webhook envelope`);
  const events: ProviderEvent[] = [];
  if (env.data.object !== product.object)
    return { events, response: { status: 200, body: 'EVENT_RECEIVED' } };
  const own = product.accountId(channel);
  for (const entry of env.data.entry) {
    const items: { raw: unknown; standby: boolean }[] = [
      ...(entry.messaging ?? []).map((raw) => ({ raw, standby: false })),
      ...(entry.standby ?? []).map((raw) => ({ raw, standby: true })),
      // The dashboard's "Test" button and some subscriptions deliver `changes[{field, value}]`.
      ...(entry.changes ?? []).map((c) => ({ raw: c.value, standby: c.field === 'standby' })),
    ];
    for (const { raw, standby } of items) {
      const parsed = metaMessaging.safeParse(raw);
      if (!parsed.success) continue;
      const e = parsed.data as MetaMessaging;
      const echo = (e.message as { is_echo?: unknown } | undefined)?.is_echo === true;
      const ourSide = partyId(echo ? e.sender : e.recipient);
      if (entry.id !== own && ourSide !== own) continue;
      const keys = keysOf(e);
      if (!keys) continue;
      const payload: MetaStoredEvent = { event: e, ...(standby ? { standby: true } : {}) };
      events.push({ providerEventId: keys.key.slice(0, 500), payload, orderKey: keys.customer });
    }
  }
  return { events, response: { status: 200, body: 'EVENT_RECEIVED' } };
}
