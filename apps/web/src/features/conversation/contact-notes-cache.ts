import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { ContactNote, Page } from '../../api/types.ts';

type Pages = InfiniteData<Page<ContactNote>, unknown>;

export const notesKey = (contactId: string) => ['contact-notes', contactId] as const;

/** A note written, edited or deleted (here or in another console): newest first, each once. */
export function applyNote(
  data: Pages | undefined,
  change: { kind: 'upsert'; note: ContactNote } | { kind: 'delete'; id: string },
): Pages | undefined {
  if (!data) return data;
  const id = change.kind === 'upsert' ? change.note.id : change.id;
  let replaced = false;
  const pages = data.pages.map((p) => ({
    ...p,
    items: p.items.flatMap((n) => {
      if (n.id !== id) return [n];
      replaced = true;
      if (change.kind === 'delete') return [];
      // An edit seen twice (answer and event) keeps the newer text.
      return [n.updatedAt > change.note.updatedAt ? n : change.note];
    }),
  }));
  if (!replaced && change.kind === 'upsert') {
    const first = pages[0] ?? { items: [], nextCursor: null };
    const items = [change.note, ...first.items].sort(
      (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    if (pages.length) pages[0] = { ...first, items };
    else pages.push({ items, nextCursor: null });
  }
  return { ...data, pages };
}

export function applyNoteEvent(
  qc: QueryClient,
  type: 'contact_note.created' | 'contact_note.updated' | 'contact_note.deleted',
  payload: unknown,
): void {
  const p = payload as Partial<ContactNote> | null;
  if (typeof p?.id !== 'string' || typeof p.contactId !== 'string') return;
  const change =
    type === 'contact_note.deleted'
      ? ({ kind: 'delete', id: p.id } as const)
      : ({ kind: 'upsert', note: p as ContactNote } as const);
  qc.setQueryData<Pages>(notesKey(p.contactId), (d) => applyNote(d, change));
}
