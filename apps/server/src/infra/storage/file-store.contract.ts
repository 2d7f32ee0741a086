import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStore } from './file-store.port.ts';

async function readAll(stream: Readable | undefined): Promise<Buffer | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

function sha256(b: Buffer | undefined): string | undefined {
  return b && createHash('sha256').update(b).digest('hex');
}

export interface OpenedStore {
  store: FileStore;
  /** Names of everything the store holds physically (so tests can see leftovers like temp files). */
  listAll(): Promise<string[]>;
  /** Whether something exists outside the store's root at this relative path (escape checks). */
  existsOutside(relative: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The behaviour every FileStore must have; `open` returns an empty store. */
export function fileStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`FileStore contract (${name})`, () => {
    let s: OpenedStore;
    let store: FileStore;

    beforeEach(async () => {
      s = await open();
      store = s.store;
    });
    afterEach(async () => {
      await s.close();
    });

    it('stores a Buffer and gives the same bytes back', async () => {
      const data = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
      expect(await store.put('acc/att/photo.jpg', data)).toEqual({
        key: 'acc/att/photo.jpg',
        size: data.length,
      });
      expect(await store.exists('acc/att/photo.jpg')).toBe(true);
      expect(await readAll(await store.get('acc/att/photo.jpg'))).toEqual(data);
    });

    it('stores a stream of many chunks', async () => {
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16_384, i));
      const put = await store.put('big.bin', Readable.from(chunks));
      expect(put.size).toBe(64 * 16_384);
      // Compared by digest: a deep-equality diff of a megabyte is slow and unreadable anyway.
      expect(sha256(await readAll(await store.get('big.bin')))).toBe(sha256(Buffer.concat(chunks)));
    });

    it('stores an empty file', async () => {
      expect(await store.put('empty.txt', Buffer.alloc(0))).toEqual({ key: 'empty.txt', size: 0 });
      expect(await store.exists('empty.txt')).toBe(true);
      expect(await readAll(await store.get('empty.txt'))).toEqual(Buffer.alloc(0));
    });

    it('answers a missing key with undefined / false, and deleting it is not an error', async () => {
      expect(await store.get('nope/x.txt')).toBeUndefined();
      expect(await store.exists('nope/x.txt')).toBe(false);
      await expect(store.delete('nope/x.txt')).resolves.toBeUndefined();
    });

    it('a folder-like prefix of stored keys is not itself a file', async () => {
      await store.put('a/b/c.txt', Buffer.from('c'));
      expect(await store.exists('a/b')).toBe(false);
      expect(await store.get('a/b')).toBeUndefined();
    });

    it('deletes', async () => {
      await store.put('k.txt', Buffer.from('hello'));
      await store.put('other.txt', Buffer.from('stays'));
      await store.delete('k.txt');
      expect(await store.exists('k.txt')).toBe(false);
      expect(await store.get('k.txt')).toBeUndefined();
      expect(await readAll(await store.get('other.txt'))).toEqual(Buffer.from('stays'));
    });

    it('overwrites completely (a shorter file leaves no tail of the longer one)', async () => {
      await store.put('k.txt', Buffer.from('a much longer first version'));
      expect(await store.put('k.txt', Buffer.from('short'))).toEqual({ key: 'k.txt', size: 5 });
      expect((await readAll(await store.get('k.txt')))?.toString()).toBe('short');
    });

    it('two writers of one key: the result is one of them, whole', async () => {
      const a = Buffer.alloc(300_000, 'a');
      const b = Buffer.alloc(200_000, 'b');
      await Promise.all([
        store.put('race.bin', Readable.from([a])),
        store.put('race.bin', Readable.from([b])),
      ]);
      const got = sha256(await readAll(await store.get('race.bin')));
      expect([sha256(a), sha256(b)]).toContain(got);
    });

    it('refuses unsafe keys in every operation and writes nothing', async () => {
      const unsafe = [
        '../x',
        '../../etc/passwd',
        'a/../../x',
        'a/..',
        '/etc/passwd',
        '',
        '.',
        '..',
        '.hidden',
        'a/.hidden',
        'a//b',
        'a/',
        'a/./b',
        'a\\..\\x',
        'a\0b',
        'x'.repeat(401),
      ];
      for (const key of unsafe) {
        await expect(store.put(key, Buffer.from('evil')), key).rejects.toThrow(/Invalid storage key/);
        await expect(store.get(key), key).rejects.toThrow(/Invalid storage key/);
        await expect(store.exists(key), key).rejects.toThrow(/Invalid storage key/);
        await expect(store.delete(key), key).rejects.toThrow(/Invalid storage key/);
      }
      expect(await s.listAll()).toEqual([]);
      expect(await s.existsOutside('x')).toBe(false);
    });

    it('a stream that fails leaves no file, no partial file and no temp file', async () => {
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(70_000, 'x'));
          this.destroy(new Error('upload aborted'));
        },
      });
      await expect(store.put('upload.bin', failing)).rejects.toThrow('upload aborted');
      expect(await store.exists('upload.bin')).toBe(false);
      expect(await store.get('upload.bin')).toBeUndefined();
      expect(await s.listAll()).toEqual([]);
    });

    it('a failed overwrite keeps the previous version intact', async () => {
      await store.put('doc.txt', Buffer.from('version 1'));
      const failing = new PassThrough();
      const put = store.put('doc.txt', failing);
      failing.write('version 2, half');
      failing.destroy(new Error('connection reset'));
      await expect(put).rejects.toThrow('connection reset');
      expect((await readAll(await store.get('doc.txt')))?.toString()).toBe('version 1');
      expect(await s.listAll()).toEqual(['doc.txt']);
    });

    it('nothing is visible under the key while a stream is still being written', async () => {
      const incoming = new PassThrough();
      const put = store.put('slow.bin', incoming);
      incoming.write(Buffer.alloc(50_000, 'y'));
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.exists('slow.bin')).toBe(false);
      expect(await store.get('slow.bin')).toBeUndefined();
      incoming.end(Buffer.alloc(50_000, 'z'));
      expect((await put).size).toBe(100_000);
      expect(await store.exists('slow.bin')).toBe(true);
    });
  });
}
