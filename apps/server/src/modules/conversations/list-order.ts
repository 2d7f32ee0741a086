import type { ConversationSort } from '@switchboard/shared';
import { type RawBuilder, sql } from 'kysely';
import { DomainError } from '../../lib/domain-error.ts';
import type { conversationQuery } from './conversation.dto.ts';

type ListQuery = ReturnType<typeof conversationQuery>;

/** Sorts after every real time (epoch ms): conversations with no SLA target or no waiting customer come last. */
const LAST = 9_007_199_254_740_991;

const slaKey = sql<number>`coalesce(c.sla_due_at, ${sql.lit(LAST)})`;

/**
 * When the customer started waiting, as the list's `waitingSince` computes it (conversation.dto.ts):
 * their oldest message after the last reply, only while they spoke last and the conversation is not
 * resolved. Served by messages_conversation_idx (conversation_id, created_at).
 */
const waitKey = sql<number>`coalesce(case when c.status <> 'resolved' and c.last_inbound_at is not null
  and (c.last_outbound_at is null or c.last_inbound_at > c.last_outbound_at)
  then (select min(m.created_at) from messages m where m.conversation_id = c.id and m.direction = 'in'
    and m.created_at > coalesce(c.last_outbound_at, 0)) end, ${sql.lit(LAST)})`;

const priorityRank = sql<number>`case c.priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`;

interface Order {
  /** The cursor's length: the sort keys then the id. */
  keys: number;
  apply(q: ListQuery): ListQuery;
  after(q: ListQuery, cursor: unknown[]): ListQuery;
}

/** Ascending key, ties by ascending id. */
function ascending(key: RawBuilder<number>): Order {
  return {
    keys: 2,
    apply: (q) => q.orderBy(key, 'asc').orderBy('c.id', 'asc'),
    after: (q, [v, id]) =>
      q.where((eb) =>
        eb.or([
          eb(key, '>', v as number),
          eb.and([eb(key, '=', v as number), eb('c.id', '>', id as string)]),
        ]),
      ),
  };
}

const newest: Order = {
  keys: 2,
  apply: (q) => q.orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc'),
  after: (q, [at, id]) =>
    q.where((eb) =>
      eb.or([
        eb('c.last_activity_at', '<', at as number),
        eb.and([eb('c.last_activity_at', '=', at as number), eb('c.id', '<', id as string)]),
      ]),
    ),
};

const byPriority: Order = {
  keys: 3,
  apply: (q) => q.orderBy(priorityRank, 'asc').orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc'),
  after: (q, [rank, at, id]) =>
    q.where((eb) =>
      eb.or([
        eb(priorityRank, '>', rank as number),
        eb.and([
          eb(priorityRank, '=', rank as number),
          eb.or([
            eb('c.last_activity_at', '<', at as number),
            eb.and([eb('c.last_activity_at', '=', at as number), eb('c.id', '<', id as string)]),
          ]),
        ]),
      ]),
    ),
};

const ORDERS: Record<ConversationSort, Order> = {
  activity: newest,
  oldest_waiting: ascending(waitKey),
  priority: byPriority,
  sla_due: ascending(slaKey),
};

/** The sort keys of each row, selected alongside it so the next cursor can be written from the last one. */
export function withSortKeys(q: ListQuery) {
  return q.select([waitKey.as('sort_wait'), priorityRank.as('sort_priority'), slaKey.as('sort_sla')]);
}

type KeyedRow = {
  id: string;
  last_activity_at: number;
  sort_wait: unknown;
  sort_priority: unknown;
  sort_sla: unknown;
};

/** Orders the list, continuing after `cursorText` (rows after the last row of the previous page). */
export function orderList(
  q: ListQuery,
  sort: ConversationSort,
  cursorText: string | undefined,
  cursor: unknown[] | undefined,
): ListQuery {
  const order = ORDERS[sort];
  if (cursorText && (cursor?.length !== order.keys || cursor.some((v) => v === null)))
    throw new DomainError('validation_error', 'cursor: malformed (or from another sort)');
  return order.apply(cursor ? order.after(q, cursor) : q);
}

export function cursorOf(row: KeyedRow, sort: ConversationSort): (string | number)[] {
  switch (sort) {
    case 'activity':
      return [row.last_activity_at, row.id];
    case 'oldest_waiting':
      return [Number(row.sort_wait), row.id];
    case 'priority':
      return [Number(row.sort_priority), row.last_activity_at, row.id];
    case 'sla_due':
      return [Number(row.sort_sla), row.id];
  }
}
