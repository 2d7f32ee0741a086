import type { Kysely } from 'kysely';

/**
 * Report rollups (docs/metrics.md), kept up to date by the account events in the writer's transaction:
 * message counts per quarter hour and dimension, one row per conversation cycle (creation or reopening
 * to resolution), one row per measured duration (exact percentiles), and operator availability
 * intervals. Empty string = "none" in the count dimensions, which are part of the primary key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'bigint' as const;
  await db.schema
    .createTable('report_counts')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('bucket', ts, (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('n', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('report_counts_pk', [
      'account_id',
      'bucket',
      'metric',
      'channel_id',
      'team_id',
      'user_id',
    ])
    .execute();

  await db.schema
    .createTable('report_cycles')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('opened_at', ts, (c) => c.notNull())
    .addColumn('first_customer_at', ts)
    .addColumn('first_response_at', ts)
    .addColumn('first_responder_id', 'text')
    .addColumn('awaiting_since', ts)
    .addColumn('waiting_ms', ts, (c) => c.notNull())
    .addColumn('waiting_business_ms', ts, (c) => c.notNull())
    .addColumn('resolved_at', ts)
    .addPrimaryKeyConstraint('report_cycles_pk', ['conversation_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('report_cycles_opened_idx')
    .on('report_cycles')
    .columns(['account_id', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('report_cycles_resolved_idx')
    .on('report_cycles')
    .columns(['account_id', 'resolved_at'])
    .execute();

  await db.schema
    .createTable('report_samples')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('ms', ts, (c) => c.notNull())
    .addColumn('business_ms', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_samples_range_idx')
    .on('report_samples')
    .columns(['account_id', 'kind', 'at', 'ms'])
    .execute();
  await db.schema
    .createIndex('report_samples_conversation_idx')
    .on('report_samples')
    .columns(['conversation_id', 'kind', 'ms'])
    .execute();

  await db.schema
    .createTable('report_presence')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('availability', 'text', (c) => c.notNull())
    .addColumn('ended_at', ts)
    .addPrimaryKeyConstraint('report_presence_pk', ['account_id', 'user_id', 'started_at'])
    .execute();
}
