import type { InfiniteData } from '@tanstack/react-query';
import type { Conversation, Message, Page } from '../api/types.ts';
import { type InboxFilter, comparatorOf, matchesFilter } from '../features/inbox/inbox-filter.ts';

type Pages<T> = InfiniteData<Page<T>, unknown>;

/**
 * Puts a changed conversation where it now belongs in one cached list: out of it when it no longer
 * matches, at its place in the list's order otherwise. Beyond the loaded pages it is left for paging to find.
 */
export function upsertConversation(
  data: Pages<Conversation> | undefined,
  conv: Conversation,
  filter: InboxFilter,
  meId: string,
): Pages<Conversation> | undefined {
  if (!data) return data;
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== conv.id) }));
  if (matchesFilter(filter, conv, meId)) {
    const lastPage = pages[pages.length - 1];
    const complete = !lastPage || lastPage.nextCursor === null;
    let placed = false;
    const compare = comparatorOf(filter);
    for (const page of pages) {
      const at = page.items.findIndex((c) => compare(conv, c) < 0);
      if (at >= 0) {
        page.items.splice(at, 0, conv);
        placed = true;
        break;
      }
    }
    if (!placed && complete) {
      if (lastPage) lastPage.items.push(conv);
      else pages.push({ items: [conv], nextCursor: null });
    }
  }
  return { ...data, pages };
}

/**
 * Adds or replaces a message in a conversation's cached history. Pages come newest first (each in
 * reading order), so a new message joins the first page; an optimistic reply is replaced by the
 * server's copy carrying the same clientMessageId.
 */
export function upsertMessage(data: Pages<Message> | undefined, msg: Message): Pages<Message> | undefined {
  if (!data) return data;
  const same = (m: Message) =>
    m.id === msg.id ||
    (m.local !== undefined && msg.clientMessageId !== null && m.clientMessageId === msg.clientMessageId);
  let replaced = false;
  const pages = data.pages.map((p) => ({
    ...p,
    items: p.items.map((m) => {
      if (!same(m)) return m;
      replaced = true;
      // Receipts can overtake the creation event; never step a delivery status back.
      return m.local === undefined && m.updatedAt > msg.updatedAt ? m : msg;
    }),
  }));
  if (!replaced) {
    const first = pages[0] ?? { items: [], nextCursor: null };
    const items = [...first.items, msg].sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    if (pages.length) pages[0] = { ...first, items };
    else pages.push({ items, nextCursor: null });
  }
  return { ...data, pages };
}

/** Reading order (oldest first) across pages that were fetched newest first. */
export function flattenMessages(data: Pages<Message> | undefined): Message[] {
  if (!data) return [];
  const out: Message[] = [];
  const ids = new Set<string>();
  for (let i = data.pages.length - 1; i >= 0; i--) {
    for (const m of data.pages[i]?.items ?? []) {
      // A refetch can shift page borders; a message must still show once.
      if (ids.has(m.id)) continue;
      ids.add(m.id);
      out.push(m);
    }
  }
  return out;
}

/** A renamed contact: every cached conversation row of theirs shows the new name. */
export function renameContact(
  data: Pages<Conversation> | undefined,
  contact: { id: string; name: string | null },
): Pages<Conversation> | undefined {
  if (!data) return data;
  let changed = false;
  const pages = data.pages.map((p) => ({
    ...p,
    items: p.items.map((c) => {
      if (c.contact.id !== contact.id || c.contact.name === contact.name) return c;
      changed = true;
      return { ...c, contact: { ...c.contact, name: contact.name } };
    }),
  }));
  return changed ? { ...data, pages } : data;
}
