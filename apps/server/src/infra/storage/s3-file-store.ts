import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type FileStore, type StoredFile, assertSafeKey } from './file-store.port.ts';

export interface S3Settings {
  bucket: string;
  /** Unset: AWS itself; set for MinIO, Ceph, Garage, R2, … */
  endpoint: string | undefined;
  region: string;
  /** Unset: the SDK's own chain (AWS_* variables, instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle: boolean;
}

// The SDK warns at runtime that releases after January 2027 will need Node 22. This installation pins
// its release in the lockfile and supports the Node the project's `engines` names, so the notice would
// only be noise in every node's log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Streams above one part are sent as a multipart upload; S3's minimum part is 5 MiB. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Files as objects in one bucket, so any node serves what another wrote. S3 makes a PUT visible only when
 * complete and a failed multipart upload is aborted, which gives the port's "whole or nothing" for free.
 */
export class S3FileStore implements FileStore {
  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  static open(s: S3Settings): S3FileStore {
    const client = new S3Client({
      region: s.region,
      endpoint: s.endpoint,
      forcePathStyle: s.forcePathStyle,
      credentials:
        s.accessKeyId && s.secretAccessKey
          ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
          : undefined,
      // Checksums only where the API demands them: S3-compatible servers other than AWS often reject or
      // mis-store the aws-chunked trailer encoding that newer SDKs send by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3FileStore(client, s.bucket);
  }

  /**
   * Fails with a readable reason when the bucket cannot be used (wrong endpoint, credentials or name),
   * so a misconfigured node stops at start rather than at its first attachment.
   */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: 'switchboard-probe' }));
    } catch (err) {
      // A missing object is the answer we expect; a missing bucket cannot be told apart by HEAD, so
      // a GET (which has an error body) says which it was.
      if (!isNotFound(err)) throw describe(err, this.bucket);
      try {
        await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: 'switchboard-probe' }));
      } catch (e) {
        if (e instanceof S3ServiceException && e.name === 'NoSuchKey') return;
        throw describe(e, this.bucket);
      }
    }
  }

  async put(key: string, data: Buffer | Readable): Promise<StoredFile> {
    assertSafeKey(key);
    if (Buffer.isBuffer(data)) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length }),
      );
      return { key, size: data.length };
    }
    // Counted on the way through: the length of a stream is known only at its end.
    let size = 0;
    const counted = new PassThrough();
    counted.on('data', (c: Buffer) => {
      size += c.length;
    });
    const piped = pipeline(data, counted);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counted },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    // The source's own error is the one worth reporting ("upload aborted"), not the SDK's wrapping of it.
    const [sent, source] = await Promise.allSettled([upload.done(), piped]);
    if (source.status === 'rejected') {
      if (sent.status === 'fulfilled') await this.delete(key).catch(() => {});
      throw source.reason;
    }
    if (sent.status === 'rejected') throw sent.reason;
    return { key, size };
  }

  async get(key: string): Promise<Readable | undefined> {
    assertSafeKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  close(): void {
    this.client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}

function describe(err: unknown, bucket: string): Error {
  const e = err as Error & { $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return new Error(
    `S3 bucket "${bucket}" is not usable: ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}`,
  );
}
