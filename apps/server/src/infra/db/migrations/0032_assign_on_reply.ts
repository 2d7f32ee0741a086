import type { Kysely } from 'kysely';

/** Replying to an unassigned conversation takes it (an account setting, on unless turned off). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('assign_on_reply', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
