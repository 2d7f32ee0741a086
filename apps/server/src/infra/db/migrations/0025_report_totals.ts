import type { Kysely } from 'kysely';

/**
 * Message counts per quarter hour along one dimension at a time (the whole account, one channel, one
 * team, one operator): what an unfiltered or singly filtered report reads, a few rows per quarter
 * hour instead of every channel × team × operator combination of report_counts. And the durations'
 * range index gains the filter columns, so a filtered percentile reads the index alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_totals')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('dim_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_totals_pk', ['account_id', 'dim', 'dim_id', 'metric', 'bucket'])
    .execute();
  await db.schema.dropIndex('report_samples_range_idx').execute();
  await db.schema
    .createIndex('report_samples_range_idx')
    .on('report_samples')
    .columns(['account_id', 'kind', 'at', 'ms', 'business_ms', 'channel_id', 'user_id', 'team_id'])
    .execute();
}
