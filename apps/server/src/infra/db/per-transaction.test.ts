import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Tx } from './database.ts';
import { perTransaction } from './per-transaction.ts';

describe('perTransaction', () => {
  const open = () => {
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
    });
    return db;
  };

  it('reads a key once per transaction, other keys separately, and again in the next transaction', async () => {
    const db = open();
    await db.schema.createTable('t').addColumn('id', 'integer').addColumn('v', 'text').execute();
    await db.insertInto('t').values({ id: 1, v: 'a' }).execute();
    let reads = 0;
    const read = (tx: Tx, key: string) =>
      perTransaction(tx, key, async () => {
        reads++;
        return (await (tx as unknown as typeof db).selectFrom('t').select('v').execute()).map((r) => r.v);
      });
    await db.transaction().execute(async (raw) => {
      const tx = raw as unknown as Tx;
      expect(await read(tx, 'k')).toEqual(['a']);
      expect(await read(tx, 'k')).toEqual(['a']);
      expect(reads).toBe(1);
      await read(tx, 'other');
      expect(reads).toBe(2);
    });
    await db.insertInto('t').values({ id: 2, v: 'b' }).execute();
    await db.transaction().execute(async (raw) => {
      expect(await read(raw as unknown as Tx, 'k')).toEqual(['a', 'b']);
    });
    expect(reads).toBe(3);
    await db.destroy();
  });

  it('does not remember a failed read', async () => {
    const db = open();
    await db.transaction().execute(async (raw) => {
      const tx = raw as unknown as Tx;
      await expect(perTransaction(tx, 'k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await perTransaction(tx, 'k', async () => 7)).toBe(7);
    });
    await db.destroy();
  });
});
