import type { Kysely } from 'kysely';

/**
 * Dead inbound events: a provider event whose processing failed for good stays in `inbound_events`
 * with when and why (`failed_at`, `last_error`), for an admin to retry or discard (`discarded_at`,
 * `discarded_by`: a discarded event is kept, as a record). `retried_at` is the last manual retry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_events').addColumn('failed_at', 'bigint').execute();
  await db.schema.alterTable('inbound_events').addColumn('last_error', 'text').execute();
  await db.schema.alterTable('inbound_events').addColumn('retried_at', 'bigint').execute();
  await db.schema.alterTable('inbound_events').addColumn('discarded_at', 'bigint').execute();
  await db.schema.alterTable('inbound_events').addColumn('discarded_by', 'text').execute();
  await db.schema
    .createIndex('inbound_events_dead')
    .on('inbound_events')
    .columns(['account_id', 'failed_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('inbound_events_dead').execute();
  for (const c of ['discarded_by', 'discarded_at', 'retried_at', 'last_error', 'failed_at'])
    await db.schema.alterTable('inbound_events').dropColumn(c).execute();
}
