import { useSyncExternalStore } from 'react';

/**
 * A tiny history-API router: the console has a handful of screens, and the server answers every
 * non-API path with index.html, so deep links and reloads work.
 */
const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('popstate', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('popstate', fn);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const fn of listeners) fn();
}

export interface Location {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

export function parseLocation(url: string): Location {
  const [path = '/', search = ''] = url.split('?');
  return {
    path,
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
}

export function useLocation(): Location {
  const url = useSyncExternalStore(subscribe, snapshot);
  return parseLocation(url);
}
