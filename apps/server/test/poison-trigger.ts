import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../src/infra/db/database.ts';

/** Text that makes the database refuse a message row once `installPoisonTrigger` ran. */
export const POISON_MARK = 'POISON-PILL';

/**
 * A real failure deep in inbound processing, the same on both dialects: a trigger that makes the
 * database refuse to insert a message whose text contains POISON_MARK (as PostgreSQL refused text with
 * NUL before it was stripped). Used by tests and the fault suite to create a poison event.
 */
export async function installPoisonTrigger<DB>(db: Kysely<DB>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `CREATE TRIGGER sb_refuse_poison BEFORE INSERT ON messages WHEN NEW.body LIKE '%${POISON_MARK}%'
         BEGIN SELECT RAISE(ABORT, 'poison message refused by the database'); END`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `CREATE FUNCTION sb_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.body LIKE '%${POISON_MARK}%' THEN RAISE EXCEPTION 'poison message refused by the database'; END IF;
         RETURN NEW;
       END $$`,
    )
    .execute(db);
  await sql
    .raw(
      'CREATE TRIGGER sb_refuse_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION sb_refuse_poison()',
    )
    .execute(db);
}

/** Lets the database accept the poison again (the "fix" an admin makes before retrying). */
export async function removePoisonTrigger<DB>(db: Kysely<DB>, dialect: DialectName): Promise<void> {
  await sql.raw('DROP TRIGGER sb_refuse_poison' + (dialect === 'postgres' ? ' ON messages' : '')).execute(db);
  if (dialect === 'postgres') await sql.raw('DROP FUNCTION sb_refuse_poison()').execute(db);
}
