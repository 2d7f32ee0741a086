import type { Kysely } from 'kysely';

/**
 * Contact imports as background jobs (CSV or XLSX, up to a million rows). `contact_imports` is one import:
 * its options, the uploaded file in the file store (`storage_key`), its progress and counts (written with
 * each batch, so a retried job resumes where it stopped), the first problems for the status answer.
 * `contact_import_problems` keeps every skipped row and warning for the downloadable errors file; a row's
 * problem is written in the same transaction as its batch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    /** csv | xlsx */
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('opt_in', 'integer', (c) => c.notNull())
    .addColumn('channel_id', 'text')
    /** JSON ImportMapping: header → target */
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('file_name', 'text')
    /** queued | running | done | failed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer')
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ignored_columns', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('failure', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('contact_imports_account_idx')
    .on('contact_imports')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('contact_import_problems')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row', 'integer', (c) => c.notNull())
    /** error (the row was skipped) | warning (imported, something left out) */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    /** JSON RowIssue[] */
    .addColumn('issues', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_import_problems_pk', ['import_id', 'kind', 'row'])
    .execute();
}
