import type { MessageKey } from '../../i18n/i18n.tsx';
import type { BroadcastCounts, BroadcastDelivery, RecipientOutcome } from './broadcasts-api.ts';

/** Each outcome with its count's name in the DTO, its words and its colour (shared by list and detail). */
export const OUTCOMES: { outcome: RecipientOutcome; count: keyof BroadcastCounts; color: string }[] = [
  { outcome: 'queued', count: 'queued', color: 'teal' },
  { outcome: 'window_closed', count: 'windowClosed', color: 'orange' },
  { outcome: 'opted_out', count: 'optedOut', color: 'red' },
  { outcome: 'no_identity', count: 'noIdentity', color: 'gray' },
  { outcome: 'channel_inactive', count: 'channelInactive', color: 'dark' },
  { outcome: 'pending', count: 'pending', color: 'blue' },
];

export const outcomeKey = (o: RecipientOutcome): MessageKey => `broadcasts.outcome.${o}`;

export const DELIVERY_STATES: (keyof BroadcastDelivery)[] = ['queued', 'sent', 'delivered', 'read', 'failed'];

export const deliveryKey = (s: keyof BroadcastDelivery): MessageKey =>
  s === 'queued' ? 'broadcasts.delivery.queued' : `delivery.${s}`;

/** Recipients the checks turned away, for whatever reason. */
export function refused(c: BroadcastCounts): number {
  return c.windowClosed + c.optedOut + c.noIdentity + c.channelInactive;
}

/** A read message was delivered first: both count as delivered. */
export function delivered(d: BroadcastDelivery): number {
  return d.delivered + d.read;
}

/** Share of the recipients already decided (0–100), for the progress bar; an empty one is complete. */
export function decidedPercent(c: BroadcastCounts): number {
  if (c.total === 0) return 100;
  return Math.round(((c.total - c.pending) / c.total) * 100);
}

/** Progress bar sections: each decided outcome's share of all recipients. */
export function progressSections(
  c: BroadcastCounts,
): { outcome: RecipientOutcome; color: string; value: number }[] {
  if (c.total === 0) return [];
  return OUTCOMES.filter((o) => o.outcome !== 'pending' && c[o.count] > 0).map((o) => ({
    outcome: o.outcome,
    color: o.color,
    value: (c[o.count] / c.total) * 100,
  }));
}
