import {
  type BroadcastCounts,
  type BroadcastDto,
  type CreateBroadcast,
  MAX_BROADCAST_CONTACTS,
  RECIPIENT_OUTCOMES,
  type RecipientOutcome,
  broadcastSchema,
  createBroadcastBody,
  createBroadcastFields,
  recipientSchema,
} from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { TemplateContent } from '../messages/template-content.ts';

export {
  MAX_BROADCAST_CONTACTS,
  RECIPIENT_OUTCOMES,
  type BroadcastDto,
  type CreateBroadcast,
  type RecipientOutcome,
  broadcastSchema,
  createBroadcastBody,
  createBroadcastFields,
  recipientSchema,
};

export interface BroadcastContent {
  text?: string;
  template?: TemplateContent;
}

const OUTCOME_KEYS: Record<RecipientOutcome, keyof BroadcastCounts> = {
  pending: 'pending',
  queued: 'queued',
  window_closed: 'windowClosed',
  opted_out: 'optedOut',
  no_identity: 'noIdentity',
  channel_inactive: 'channelInactive',
};

export async function loadBroadcastDto(k: Tx, row: Row<'broadcasts'>): Promise<BroadcastDto> {
  const byOutcome = await k
    .selectFrom('broadcast_recipients')
    .select(['outcome', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('broadcast_id', '=', row.id)
    .groupBy('outcome')
    .execute();
  const counts = {
    total: 0,
    pending: 0,
    queued: 0,
    windowClosed: 0,
    optedOut: 0,
    noIdentity: 0,
    channelInactive: 0,
  };
  for (const r of byOutcome) {
    const key = OUTCOME_KEYS[r.outcome as RecipientOutcome];
    if (!key) continue;
    counts[key] += Number(r.n);
    counts.total += Number(r.n);
  }
  const byDelivery = await k
    .selectFrom('broadcast_recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .select(['m.delivery_status as status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('r.broadcast_id', '=', row.id)
    .groupBy('m.delivery_status')
    .execute();
  const delivery = { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 };
  for (const r of byDelivery) {
    const s = r.status as keyof typeof delivery;
    if (s in delivery) delivery[s] += Number(r.n);
  }
  const content = JSON.parse(row.content) as BroadcastContent;
  const audience = JSON.parse(row.audience) as { contactIds?: string[]; label?: string; segmentId?: string };
  return {
    id: row.id,
    channelId: row.channel_id,
    name: row.name,
    text: content.text ?? null,
    template: content.template ?? null,
    audience: {
      ...(audience.contactIds ? { contactIds: audience.contactIds.length } : {}),
      ...(audience.label ? { label: audience.label } : {}),
      ...(audience.segmentId ? { segmentId: audience.segmentId } : {}),
    },
    status: row.status as 'running' | 'done',
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    counts,
    delivery,
  };
}
