import type { PendingMessage, VisitorMessage } from './types.ts';

/**
 * How far before the newest change it saw a reconnecting widget asks from. A message is stamped when
 * its transaction starts; one committed late (slow transaction, another node, small clock skew) still
 * falls inside this window, and merging by id makes the overlap harmless.
 */
export const CATCH_UP_MARGIN_MS = 30_000;

function order(a: VisitorMessage, b: VisitorMessage): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Merges fetched or pushed messages by id (a newer version replaces an older one), in reading order. */
export function mergeMessages(current: VisitorMessage[], incoming: VisitorMessage[]): VisitorMessage[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) {
    const had = byId.get(m.id);
    if (!had || had.updatedAt <= m.updatedAt) byId.set(m.id, had ? keepStatus(had, m) : m);
  }
  return [...byId.values()].sort(order);
}

/** A later copy may carry an older status (pushed before the receipt was applied): never go back. */
function keepStatus(had: VisitorMessage, m: VisitorMessage): VisitorMessage {
  const rank = { sent: 1, delivered: 2, read: 3 } as const;
  if (had.status && m.status && rank[had.status] > rank[m.status]) return { ...m, status: had.status };
  return m;
}

/** Where a catch-up starts: undefined (full history) when nothing is known yet. */
export function catchUpSince(messages: VisitorMessage[]): number | undefined {
  if (messages.length === 0) return undefined;
  const newest = Math.max(...messages.map((m) => m.updatedAt));
  return Math.max(0, newest - CATCH_UP_MARGIN_MS);
}

/** Pending messages the server has confirmed (its copy carries the same client id) are dropped. */
export function unconfirmed(pending: PendingMessage[], messages: VisitorMessage[]): PendingMessage[] {
  const confirmed = new Set(messages.map((m) => m.clientMessageId).filter((id): id is string => id !== null));
  return pending.filter((p) => !confirmed.has(p.clientMessageId));
}

/** Operator messages newer than what the visitor has read. */
export function unreadCount(messages: VisitorMessage[], lastReadAt: number): number {
  return messages.filter((m) => m.direction === 'out' && m.createdAt > lastReadAt).length;
}

/** 8–64 characters of [A-Za-z0-9_-], as the server requires. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
