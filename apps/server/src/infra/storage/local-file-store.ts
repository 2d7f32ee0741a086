import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
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
    // The source may fail while we prepare the folder; without a listener that error would be unhandled
    // and take the process down. pipeline() below still sees it and rejects.
    if (!Buffer.isBuffer(data)) data.on('error', () => {});
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
    // Opened before returning, so a file deleted meanwhile is "missing" rather than a stream that fails later.
    let handle: FileHandle;
    try {
      handle = await open(join(this.root, key), 'r');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      return undefined;
    }
    return handle.createReadStream();
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

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
