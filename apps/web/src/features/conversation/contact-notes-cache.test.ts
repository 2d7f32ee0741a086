import { describe, expect, it } from 'vitest';
import type { ContactNote } from '../../api/types.ts';
import { applyNote } from './contact-notes-cache.ts';

const note = (id: string, createdAt: number, text = id, updatedAt = createdAt): ContactNote => ({
  id,
  contactId: 'c1',
  text,
  author: { id: 'u1', name: 'Ann' },
  createdAt,
  updatedAt,
});
const pages = (...lists: ContactNote[][]) => ({
  pages: lists.map((items, i) => ({ items, nextCursor: i < lists.length - 1 ? `p${i + 1}` : null })),
  pageParams: lists.map((_, i) => (i ? `p${i}` : undefined)),
});
const ids = (d: ReturnType<typeof applyNote>) => d?.pages.map((p) => p.items.map((n) => n.id));

describe('contact notes cache', () => {
  it('puts a new note first, once, however often it is announced', () => {
    const d = pages([note('b', 20), note('a', 10)]);
    const once = applyNote(d, { kind: 'upsert', note: note('c', 30) });
    expect(ids(once)).toEqual([['c', 'b', 'a']]);
    expect(ids(applyNote(once, { kind: 'upsert', note: note('c', 30) }))).toEqual([['c', 'b', 'a']]);
  });

  it('replaces an edited note where it is, keeping the newer edit', () => {
    const d = pages([note('b', 20)], [note('a', 10)]);
    const edited = applyNote(d, { kind: 'upsert', note: note('a', 10, 'new', 50) });
    expect(edited?.pages[1]?.items[0]?.text).toBe('new');
    const stale = applyNote(edited, { kind: 'upsert', note: note('a', 10, 'old', 40) });
    expect(stale?.pages[1]?.items[0]?.text).toBe('new');
  });

  it('takes a deleted note out, and leaves an unloaded list alone', () => {
    expect(ids(applyNote(pages([note('b', 20), note('a', 10)]), { kind: 'delete', id: 'b' }))).toEqual([
      ['a'],
    ]);
    expect(applyNote(undefined, { kind: 'upsert', note: note('a', 1) })).toBeUndefined();
  });
});
