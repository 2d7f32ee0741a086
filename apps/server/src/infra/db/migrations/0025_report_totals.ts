import type { Kysely } from 'kysely';

/**
 * Message counts per quarter hour along one dimension at a time (the whole account, one channel, one
 * team, one operator): what an unfiltered or singly filtered report reads, a few rows per quarter
 * hour instead of every channel × team × operator combination of report_counts.
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
}
