import type { AppContext } from '../../app-context.ts';

/**
 * Deletes settled deliveries (delivered or given up) older than `olderThanMs`, their attempts first, in
 * batches of short statements. Deliveries still waiting or being retried are never touched: their job
 * still needs the row.
 */
export async function pruneWebhookDeliveries(
  ctx: AppContext,
  olderThanMs: number,
  batch: number,
): Promise<number> {
  const k = ctx.db.kysely;
  const before = ctx.clock.now() - olderThanMs;
  let total = 0;
  for (;;) {
    const ids = (
      await k
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', 'in', ['delivered', 'failed'])
        .where('updated_at', '<', before)
        .limit(batch)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) {
      await k.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
      const r = await k
        .deleteFrom('webhook_deliveries')
        .where('id', 'in', ids)
        .where('status', 'in', ['delivered', 'failed'])
        .executeTakeFirst();
      total += Number(r.numDeletedRows);
    }
    if (ids.length < batch) return total;
  }
}
