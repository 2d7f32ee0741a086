import type { Db } from '../../src/infra/db/database.ts';

/** Counts what the database holds for a set of provider message ids on one channel. */
export async function inboundStored(
  db: Db,
  channelId: string,
  expectedIds: string[],
): Promise<{
  events: number;
  unprocessed: number;
  messages: number;
  distinct: number;
  missing: string[];
  duplicated: string[];
}> {
  const k = db.kysely;
  const events = await k
    .selectFrom('inbound_events')
    .select(['processed_at'])
    .where('channel_id', '=', channelId)
    .execute();
  const rows = await k
    .selectFrom('messages')
    .select('provider_message_id')
    .where('channel_id', '=', channelId)
    .where('direction', '=', 'in')
    .execute();
  const perId = new Map<string, number>();
  for (const r of rows)
    perId.set(r.provider_message_id ?? '', (perId.get(r.provider_message_id ?? '') ?? 0) + 1);
  return {
    events: events.length,
    unprocessed: events.filter((e) => e.processed_at === null).length,
    messages: rows.length,
    distinct: perId.size,
    missing: expectedIds.filter((id) => !perId.has(id)),
    duplicated: [...perId].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

/** Jobs by "type/status", e.g. {"message.send/done": 200}. */
export async function jobCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select(['type', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['type', 'status'])
    .execute();
  return Object.fromEntries(rows.map((r) => [`${r.type}/${r.status}`, Number(r.n)]));
}

/** Message ids of the send jobs a dead node still holds a lease on. */
export async function leasedSends(db: Db): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select('payload')
    .where('type', '=', 'message.send')
    .where('status', '=', 'running')
    .execute();
  return rows.map((r) => (JSON.parse(r.payload) as { messageId: string }).messageId);
}

/**
 * Lets the leases of jobs held by a killed node run out now instead of after the lease time (60 s):
 * exactly what the passing of that time does, used by the short CI form to stay quick. Only valid while
 * no node is running. Returns how many jobs it released.
 */
export async function expireLeases(db: Db): Promise<number> {
  const r = await db.kysely
    .updateTable('jobs')
    .set({ run_at: Date.now() })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Outbound messages by delivery status for the given ids. */
export async function deliveryStatuses(db: Db, ids: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.kysely
      .selectFrom('messages')
      .select('delivery_status')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out[r.delivery_status ?? 'null'] = (out[r.delivery_status ?? 'null'] ?? 0) + 1;
  }
  return out;
}
