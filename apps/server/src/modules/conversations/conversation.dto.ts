import type { ConversationDto } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import { parseAttributes } from '../attributes/attribute-values.ts';
import { slaOfRow } from '../sla/sla-writer.ts';
import { unreadCounts } from './read-markers.ts';

export type { ConversationDto };

export function conversationQuery(k: Tx) {
  return k
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .selectAll('c')
    .select([
      'ch.type as channel_type',
      'ch.name as channel_name',
      'ct.name as contact_name',
      'ct.phone as contact_phone',
      'ct.email as contact_email',
    ]);
}

type ConversationJoinRow = Awaited<
  ReturnType<ReturnType<typeof conversationQuery>['executeTakeFirstOrThrow']>
>;

/** `readerId`: add that user's unread count to each conversation. */
export async function toConversationDtos(
  k: Tx,
  rows: ConversationJoinRow[],
  readerId?: string,
): Promise<ConversationDto[]> {
  const ids = rows.map((r) => r.id);
  const unread = readerId ? await unreadCounts(k, readerId, ids) : undefined;
  const labels = ids.length
    ? await k
        .selectFrom('conversation_labels')
        .select(['conversation_id', 'label'])
        .where('conversation_id', 'in', ids)
        .orderBy('label')
        .execute()
    : [];
  const waiting = await waitingSince(k, rows);
  const byConv = new Map<string, string[]>();
  for (const l of labels) byConv.set(l.conversation_id, [...(byConv.get(l.conversation_id) ?? []), l.label]);
  return rows.map((r) => ({
    id: r.id,
    status: r.status as ConversationDto['status'],
    priority: r.priority as ConversationDto['priority'],
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    labels: byConv.get(r.id) ?? [],
    attributes: parseAttributes(r.attributes),
    channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
    contact: { id: r.contact_id, name: r.contact_name, phone: r.contact_phone, email: r.contact_email },
    snoozedUntil: r.snoozed_until,
    lastInboundAt: r.last_inbound_at,
    lastOutboundAt: r.last_outbound_at,
    lastActivityAt: r.last_activity_at,
    lastMessagePreview: r.last_message_preview,
    waitingSince: waiting.get(r.id) ?? null,
    firstResponseAt: r.first_response_at,
    firstResponseMs: r.first_response_ms,
    resolvedAt: r.resolved_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sla: slaOfRow(r),
    ...(r.merged_into ? { mergedIntoId: r.merged_into } : {}),
    ...(unread ? { unreadCount: unread.get(r.id) ?? 0 } : {}),
  }));
}

/**
 * The customer's oldest message after the last reply, for conversations whose customer spoke last
 * (an automatic greeting is not a reply: `last_outbound_at` moves only on replies). Server clocks on
 * both sides, so a provider's skewed timestamp cannot make the wait negative.
 */
async function waitingSince(k: Tx, rows: ConversationJoinRow[]): Promise<Map<string, number>> {
  const waiting = rows.filter(
    (r) =>
      r.status !== 'resolved' &&
      r.last_inbound_at !== null &&
      (r.last_outbound_at === null || r.last_inbound_at > r.last_outbound_at),
  );
  if (!waiting.length) return new Map();
  const found = await k
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.conversation_id as id', (eb) => eb.fn.min<number>('m.created_at').as('since')])
    .where(
      'm.conversation_id',
      'in',
      waiting.map((r) => r.id),
    )
    .where('m.direction', '=', 'in')
    .where((eb) => eb('m.created_at', '>', eb.fn.coalesce('c.last_outbound_at', eb.lit(0))))
    .groupBy('m.conversation_id')
    .execute();
  return new Map(found.filter((f) => f.since !== null).map((f) => [f.id, Number(f.since)]));
}

export async function loadConversationDto(
  k: Tx,
  id: string,
  accountId: string,
  readerId?: string,
): Promise<ConversationDto | undefined> {
  const row = await conversationQuery(k)
    .where('c.id', '=', id)
    .where('c.account_id', '=', accountId)
    .executeTakeFirst();
  return row ? (await toConversationDtos(k, [row], readerId))[0] : undefined;
}
