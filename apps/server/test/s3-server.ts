import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../src/infra/storage/s3-file-store.ts';

/** The part of s3rver's (untyped) API we use. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  store: { putContent(path: string, content: Buffer | Readable): Promise<[number, string]> };
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverServer;

// As in the store itself (s3-file-store.ts): the SDK's Node 22 notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** s3rver's one built-in key pair. */
const KEY = 'S3RVER';

/**
 * A real S3-speaking server (s3rver: the S3 REST protocol with SigV4 checking, objects on disk) on a
 * loopback port, plus an administrator's client to make buckets and look inside them.
 */
export class S3TestServer {
  private constructor(
    private readonly server: S3rverServer,
    private readonly dir: string,
    readonly endpoint: string,
    private readonly admin: S3Client,
  ) {}

  static async start(): Promise<S3TestServer> {
    const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;
    const dir = mkdtempSync(join(tmpdir(), 'sb-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    atomicWrites(server);
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const admin = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEY, secretAccessKey: KEY },
    });
    // The SDK signs bucket-level paths with a trailing slash (`/bucket/`) that s3rver signs without;
    // object paths (all the store uses) agree, so only this administrator's bucket calls need the fix.
    admin.middlewareStack.add(
      (next) => (args) => {
        const req = args.request as { path?: string };
        if (req.path && /^\/[^/]+\/$/.test(req.path)) req.path = req.path.slice(0, -1);
        return next(args);
      },
      { step: 'build', name: 'bucketPathWithoutSlash' },
    );
    return new S3TestServer(server, dir, endpoint, admin);
  }

  /** Store settings for a new empty bucket (names: 3–63 lowercase letters, digits, dashes). */
  async bucket(name: string): Promise<S3Settings> {
    await this.admin.send(new CreateBucketCommand({ Bucket: name }));
    return {
      bucket: name,
      endpoint: this.endpoint,
      region: 'us-east-1',
      accessKeyId: KEY,
      secretAccessKey: KEY,
      forcePathStyle: true,
    };
  }

  /** The settings as the environment of a `switchboard` process. */
  static env(s: S3Settings): Record<string, string> {
    return {
      FILE_STORE: 's3',
      S3_BUCKET: s.bucket,
      S3_ENDPOINT: s.endpoint ?? '',
      S3_REGION: s.region,
      S3_ACCESS_KEY_ID: s.accessKeyId ?? '',
      S3_SECRET_ACCESS_KEY: s.secretAccessKey ?? '',
      S3_FORCE_PATH_STYLE: String(s.forcePathStyle),
    };
  }

  async keys(bucket: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.admin.send(
        new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }

  async buckets(): Promise<string[]> {
    const res = await this.admin.send(new ListBucketsCommand({}));
    return (res.Buckets ?? []).map((b) => b.Name ?? '');
  }

  async stop(): Promise<void> {
    this.admin.destroy();
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * S3 makes a PUT visible only once complete, so two writers of one key leave one of them whole; s3rver
 * writes the object file in place, so concurrent writers interleave and a reader sees half a file. Its
 * store writes to a temporary name and renames here, as S3 (and MinIO, Ceph, Garage) behave.
 */
function atomicWrites(server: S3rverServer): void {
  const store = server.store;
  const write = store.putContent.bind(store);
  store.putContent = async (path, content) => {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.incoming`;
    try {
      // s3rver answers a Buffer before its bytes reach the disk; the rename must wait for them.
      let result: [number, string];
      if (Buffer.isBuffer(content)) {
        await writeFile(tmp, content);
        result = [content.length, createHash('md5').update(content).digest('hex')];
      } else {
        result = await write(tmp, content);
      }
      await rename(tmp, path);
      return result;
    } finally {
      await rm(tmp, { force: true });
    }
  };
}
