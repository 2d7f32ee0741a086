import { useSyncExternalStore } from 'react';

/**
 * Which customer messages this operator has seen, per conversation (this device only: the API has no
 * read markers yet). Anything that arrived before the console was first used here counts as seen.
 */
const KEY = 'switchboard.seen';
const listeners = new Set<() => void>();
let state: { since: number; seen: Record<string, number> } = load();

function load() {
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) ?? 'null');
    if (v && typeof v.since === 'number' && typeof v.seen === 'object') return v;
  } catch {}
  const fresh = { since: Date.now(), seen: {} };
  try {
    window.localStorage.setItem(KEY, JSON.stringify(fresh));
  } catch {}
  return fresh;
}

function save() {
  // Keep the newest 2,000 entries so the store cannot grow without bound.
  const entries = Object.entries(state.seen).sort((a, b) => b[1] - a[1]);
  if (entries.length > 2000) state = { ...state, seen: Object.fromEntries(entries.slice(0, 2000)) };
  try {
    window.localStorage.setItem(KEY, JSON.stringify(state));
  } catch {}
}

export function markSeen(conversationId: string, upTo: number): void {
  if ((state.seen[conversationId] ?? 0) >= upTo) return;
  state = { ...state, seen: { ...state.seen, [conversationId]: upTo } };
  save();
  for (const fn of listeners) fn();
}

export function isUnread(s: typeof state, conversationId: string, lastInboundAt: number | null): boolean {
  if (lastInboundAt === null) return false;
  return lastInboundAt > Math.max(s.since, s.seen[conversationId] ?? 0);
}

export function useSeen() {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => state,
  );
}
