import type { Kysely } from 'kysely';

/**
 * Media pipeline: an inbound file is first a provider reference (`provider_ref`), then a stored file
 * (`storage_key`) with the SHA-256 of its bytes. `download_status` says where it is on that way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('attachments').addColumn('provider_ref', 'text').execute();
  await db.schema.alterTable('attachments').addColumn('sha256', 'text').execute();
  await db.schema.alterTable('attachments').addColumn('download_status', 'text').execute();
  await db.schema.alterTable('attachments').addColumn('download_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const c of ['download_error', 'download_status', 'sha256', 'provider_ref']) {
    await db.schema.alterTable('attachments').dropColumn(c).execute();
  }
}
