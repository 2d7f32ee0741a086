import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../crypto/ids.ts';
import { type FileStore, type StoredFile, assertSafeKey } from './file-store.port.ts';

/** Files under a root folder. Writes go to a temp name and are renamed, so a reader never sees half a file. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(key: string, data: Buffer | Readable): Promise<StoredFile> {
    assertSafeKey(key);
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomToken(6)}.tmp`;
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, createWriteStream(tmp));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { key, size: (await stat(path)).size };
  }

  async get(key: string): Promise<Readable | undefined> {
    assertSafeKey(key);
    if (!(await this.exists(key))) return undefined;
    return createReadStream(join(this.root, key));
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await rm(join(this.root, key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    try {
      return (await stat(join(this.root, key))).isFile();
    } catch {
      return false;
    }
  }
}
