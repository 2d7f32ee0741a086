import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3TestServer } from '../../../test/s3-server.ts';
import { fileStoreContract } from './file-store.contract.ts';
import { S3FileStore } from './s3-file-store.ts';

let server: S3TestServer;
let n = 0;

beforeAll(async () => {
  server = await S3TestServer.start();
}, 20_000);
afterAll(() => server?.stop());

fileStoreContract('S3FileStore on s3rver', async () => {
  const bucket = `contract-${++n}`;
  const store = S3FileStore.open(await server.bucket(bucket));
  await store.check();
  return {
    store,
    listAll: () => server.keys(bucket),
    // An escaping key would have to land in another bucket (`/bucket/../x` is the path `/x`) or
    // under another bucket's name.
    existsOutside: async (rel) => {
      const others = (await server.buckets()).filter((b) => b !== bucket);
      if (others.includes(rel)) return true;
      for (const b of others) if ((await server.keys(b)).includes(rel)) return true;
      return false;
    },
    close: async () => store.close(),
  };
});

describe('S3FileStore beyond the contract', () => {
  it('sends a stream larger than one part as a multipart upload and reads it back whole', async () => {
    const store = S3FileStore.open(await server.bucket('multipart'));
    try {
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const put = await store.put('export.xlsx', Readable.from(Array.from({ length: 18 }, () => chunk)));
      expect(put.size).toBe(18 * chunk.length);
      let read = 0;
      for await (const c of (await store.get('export.xlsx'))!) read += (c as Buffer).length;
      expect(read).toBe(18 * chunk.length);
      expect(await server.keys('multipart')).toEqual(['export.xlsx']);
    } finally {
      store.close();
    }
  });

  it('refuses to start on a bucket that does not exist or with a wrong key, and says which', async () => {
    const good = await server.bucket('checked');
    const missing = S3FileStore.open({ ...good, bucket: 'no-such-bucket' });
    await expect(missing.check()).rejects.toThrow(/"no-such-bucket" is not usable: NoSuchBucket/);
    missing.close();
    const badKey = S3FileStore.open({ ...good, secretAccessKey: 'wrong' });
    await expect(badKey.check()).rejects.toThrow(/"checked" is not usable: .*HTTP 403/);
    badKey.close();
  });
});
