import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_init.ts';

const migrations: Record<string, Migration> = {
  '0001_init': m0001,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations. On PostgreSQL Kysely takes an advisory lock, so nodes may start together. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely as never, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
