import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Map<string, Set<() => void>>();

/**
 * A choice about this screen (density, a side column shown or not), kept in this browser's storage,
 * not the account, and shared live by every component reading the same key.
 */
export function useStoredChoice<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): [T, (v: T) => void] {
  const read = () => {
    const v = window.localStorage.getItem(key);
    return allowed.includes(v as T) ? (v as T) : fallback;
  };
  const value = useSyncExternalStore(
    (l) => {
      const set = listeners.get(key) ?? new Set();
      listeners.set(key, set);
      set.add(l);
      return () => set.delete(l);
    },
    read,
    () => fallback,
  );
  const set = useCallback(
    (v: T) => {
      window.localStorage.setItem(key, v);
      for (const l of listeners.get(key) ?? []) l();
    },
    [key],
  );
  return [value, set];
}
