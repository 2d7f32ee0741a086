import { useSyncExternalStore } from 'react';

/**
 * Which messages the operator ticked in split mode, for one conversation at a time: the action button,
 * the message list's check boxes and the split bar all read it, so it lives outside any one of them.
 */
interface Selection {
  conversationId: string;
  ids: ReadonlySet<string>;
}

let state: Selection | null = null;
const listeners = new Set<() => void>();
const set = (next: Selection | null) => {
  state = next;
  for (const fn of listeners) fn();
};
const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

export const splitMode = {
  start: (conversationId: string) => set({ conversationId, ids: new Set() }),
  stop: () => set(null),
  toggle(id: string) {
    if (!state) return;
    const ids = new Set(state.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    set({ ...state, ids });
  },
};

/** The selection while this conversation is in split mode; null otherwise. */
export function useSplitSelection(conversationId: string): ReadonlySet<string> | null {
  const s = useSyncExternalStore(subscribe, () => state);
  return s?.conversationId === conversationId ? s.ids : null;
}
