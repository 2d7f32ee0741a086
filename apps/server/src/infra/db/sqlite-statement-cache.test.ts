import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.ts';

describe('SQLite statement cache', () => {
  const open = () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (id integer primary key, v text)');
    return { raw, db: withStatementCache(raw) };
  };

  it('hands out the prepared statement again for the same SQL, and a new one for other SQL', () => {
    const { db } = open();
    const a = db.prepare('select * from t where id = ?');
    expect(db.prepare('select * from t where id = ?')).toBe(a);
    expect(db.prepare('select v from t where id = ?')).not.toBe(a);
  });

  it('never hands out a statement that is still iterating', () => {
    const { db } = open();
    db.prepare('insert into t (v) values (?)').run(['a']);
    db.prepare('insert into t (v) values (?)').run(['b']);
    const first = db.prepare('select v from t');
    const it1 = first.iterate([]);
    it1.next();
    const second = db.prepare('select v from t');
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ v: 'a' }, { v: 'b' }]);
    it1.return?.();
  });

  it('sees a schema change made after the statement was cached', () => {
    const { raw, db } = open();
    db.prepare('insert into t (v) values (?)').run(['a']);
    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'a' }]);
    raw.exec('alter table t add column w text');
    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'a', w: null }]);
  });
});
