import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use instead of at start. Mail, spreadsheet and Redis libraries
 * cost together about half of a start's time and a third of its idle memory, yet many installations
 * never use them (no e-mail channel, no export yet, no Redis).
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
