import type { Kysely } from 'kysely';

/**
 * Consent: a contact's opt-out and explicit opt-in, per contact and consent scope (see
 * modules/consent/consent-scope.ts: `sms` for every SMS channel, otherwise the channel type). No row means
 * neither: the messaging window alone decides. The latest decision is `status`; the last opt-out and the
 * last opt-in are both kept with how and why they were made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'bigint' as const;
  await db.schema
    .createTable('contact_consents')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opted_out_at', ts)
    .addColumn('opt_out_via', 'text')
    .addColumn('opt_out_source', 'text')
    .addColumn('opted_in_at', ts)
    .addColumn('opt_in_via', 'text')
    .addColumn('opt_in_source', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_consents_pk', ['contact_id', 'scope'])
    .execute();
  await db.schema
    .createIndex('contact_consents_account_idx')
    .on('contact_consents')
    .columns(['account_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('contact_consents').execute();
}
