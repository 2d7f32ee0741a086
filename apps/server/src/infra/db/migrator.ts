import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_init.ts';
import * as m0002 from './migrations/0002_media.ts';

const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_media': m0002,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations. On PostgreSQL Kysely takes an advisory lock, so nodes may start together. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables across all schemas unless told which one: name the current
  // schema (search_path may point elsewhere than public), or another schema's tables would be mistaken for ours.
  let migrationTableSchema: string | undefined;
  if (db.dialect === 'postgres') {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely);
    migrationTableSchema = r.rows[0]?.s;
  }
  const migrator = new Migrator({ db: db.kysely as never, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
