import { existsSync, mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileStoreContract } from './file-store.contract.ts';
import { LocalFileStore } from './local-file-store.ts';

fileStoreContract('LocalFileStore', async () => {
  // The store's root is one level down, so an escape with `../x` would land in `outer`, where we look.
  const outer = mkdtempSync(join(tmpdir(), 'sb-files-'));
  const root = join(outer, 'root');
  return {
    store: new LocalFileStore(root),
    listAll: async () => {
      if (!existsSync(root)) return [];
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => !e.isDirectory())
        .map((e) => relative(root, join(e.parentPath, e.name)))
        .sort();
    },
    existsOutside: async (rel) => existsSync(join(outer, rel)),
    close: () => rm(outer, { recursive: true, force: true }),
  };
});
