import type { Kysely } from 'kysely';

/**
 * A conversation merged into another of the same contact stays as a closed row pointing at the kept one
 * (`merged_into`, `merged_at`): its old id answers with that pointer (modules/conversations/merge-split).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('merged_into', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('merged_at', 'bigint').execute();
}
