import type { Kysely } from 'kysely';

/**
 * Duplicate suggestions compare normalised addresses: `phone_key` (E.164, read in the account's default
 * country) and `email_key` (trimmed, lower case). They are derived from `phone`/`email` by
 * modules/contacts/duplicates/match-keys.ts, which also stores what they were derived from
 * (`match_source`): a row whose phone or e-mail no longer equals its source is derived again before any
 * comparison, so no writer of contacts has to know about the keys. Existing rows start with no source.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('phone_key', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('email_key', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('match_source', 'text').execute();
  await db.schema
    .createIndex('contacts_account_phone_key_idx')
    .on('contacts')
    .columns(['account_id', 'phone_key'])
    .execute();
  await db.schema
    .createIndex('contacts_account_email_key_idx')
    .on('contacts')
    .columns(['account_id', 'email_key'])
    .execute();
}
