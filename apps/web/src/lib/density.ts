import { useCallback, useSyncExternalStore } from 'react';

export type Density = 'comfortable' | 'compact';

const KEY = 'switchboard.density';
const listeners = new Set<() => void>();

function read(): Density {
  return window.localStorage.getItem(KEY) === 'compact' ? 'compact' : 'comfortable';
}

/**
 * The operator's choice of row density, kept in this browser (it is about the screen, not the
 * account) and shared live by every component that reads it.
 */
export function useDensity(): [Density, (d: Density) => void] {
  const density = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
    () => 'comfortable' as const,
  );
  const set = useCallback((d: Density) => {
    window.localStorage.setItem(KEY, d);
    for (const l of listeners) l();
  }, []);
  return [density, set];
}
