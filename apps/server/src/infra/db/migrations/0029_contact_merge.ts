import type { Kysely } from 'kysely';

/**
 * One customer across channels. A merged-away contact stays as a row pointing at its survivor
 * (`merged_into`, `merged_at`) so its old id can answer with that pointer and the merge can be undone;
 * `contact_merges` keeps what each merge moved (for the undo and the audit trail). Account settings:
 * the default country phone numbers without a `+` are read in (ISO 3166 alpha-2; null: only numbers
 * written with `+` are normalised) and whether identities whose phone the provider verified are merged
 * automatically (off by default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('merged_into', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('merged_at', 'bigint').execute();
  await db.schema.createIndex('contacts_merged_into_idx').on('contacts').columns(['merged_into']).execute();
  await db.schema
    .createIndex('contacts_account_email_idx')
    .on('contacts')
    .columns(['account_id', 'email'])
    .execute();

  await db.schema
    .createTable('contact_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('survivor_id', 'text', (c) => c.notNull())
    .addColumn('merged_id', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text')
    /** manual | automatic */
    .addColumn('via', 'text', (c) => c.notNull())
    /** JSON: what moved and what each side had before (see contacts/merge/merge-record.ts) */
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('undone_by', 'text')
    .execute();
  await db.schema
    .createIndex('contact_merges_survivor_idx')
    .on('contact_merges')
    .columns(['account_id', 'survivor_id', 'created_at'])
    .execute();

  await db.schema.alterTable('accounts').addColumn('default_country', 'text').execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('auto_merge_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
