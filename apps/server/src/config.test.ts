import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'sb-config-'));

describe('loadConfig', () => {
  it('defaults to the embedded mode and generates the master secret once', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: `sqlite:${join(dir, 'switchboard.db')}`,
      redisUrl: undefined,
      bodyLimit: 1_048_576,
    });
    expect(existsSync(join(dir, 'secret.key'))).toBe(true);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(c.secret);
    expect(loadConfig({ DATA_DIR: dir }).secret).toBe(c.secret);
  });

  it('takes the environment', () => {
    const c = loadConfig({
      DATA_DIR: tmp(),
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/sb',
      REDIS_URL: 'redis://r:6379',
      SWITCHBOARD_SECRET: 'x'.repeat(32),
      BODY_LIMIT: '2048',
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/sb',
      redisUrl: 'redis://r:6379',
      secret: 'x'.repeat(32),
      bodyLimit: 2048,
    });
  });

  it('parses ALLOW_PRIVATE_URLS; nothing private is allowed by default', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).allowPrivateUrls.permits('localhost', '127.0.0.1')).toBe(false);
    const c = loadConfig({ DATA_DIR: tmp(), ALLOW_PRIVATE_URLS: '127.0.0.1, localhost,::1,10.0.0.0/8' });
    expect(c.allowPrivateUrls.entries).toEqual(['127.0.0.1', 'localhost', '::1', '10.0.0.0/8']);
    expect(c.allowPrivateUrls.permits('x', '10.9.8.7')).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with sqlite: or postgres:\/\//],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ SWITCHBOARD_SECRET: 'short' }, /at least 16/],
    [{ TRUST_PROXY: 'proxy.local' }, /TRUST_PROXY: must be true, false, a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES/],
    [{ ALLOW_PRIVATE_URLS: '127.0.0.1,http://intranet' }, /ALLOW_PRIVATE_URLS: "http:\/\/intranet"/],
    [{ ALLOW_PRIVATE_URLS: '10.0.0.0/40' }, /ALLOW_PRIVATE_URLS: "10.0.0.0\/40" is not a CIDR range/],
    [{ FILE_STORE: 'ftp' }, /FILE_STORE/],
    [{ FILE_STORE: 's3' }, /FILE_STORE=s3 needs S3_BUCKET/],
    [{ FILE_STORE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT must be an http/],
    [{ FILE_STORE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' }, /set both or neither/],
    [{ FILE_STORE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' }, /S3_FORCE_PATH_STYLE/],
  ])('rejects bad values with a clear message: %o', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(message);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1, 10.1.0.0/16,fd00::/8, loopback', ['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']],
  ])('maps TRUST_PROXY=%s onto trustProxy %o', (value, expected) => {
    const env = value === undefined ? {} : { TRUST_PROXY: value };
    expect(loadConfig({ DATA_DIR: tmp(), ...env }).trustProxy).toEqual(expected);
  });

  it('keeps files under DATA_DIR by default, in an S3 bucket with FILE_STORE=s3', () => {
    const dir = tmp();
    expect(loadConfig({ DATA_DIR: dir }).fileStore).toEqual({ kind: 'local', root: join(dir, 'files') });
    const env = { DATA_DIR: dir, FILE_STORE: 's3', S3_BUCKET: 'sb-files' };
    // Without keys or endpoint: AWS itself, with the SDK's own credential chain (instance role, AWS_*).
    expect(loadConfig(env).fileStore).toEqual({
      kind: 's3',
      s3: {
        bucket: 'sb-files',
        endpoint: undefined,
        region: 'us-east-1',
        accessKeyId: undefined,
        secretAccessKey: undefined,
        forcePathStyle: false,
      },
    });
    const minio = {
      ...env,
      S3_ENDPOINT: 'http://minio:9000',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
    };
    expect(loadConfig(minio).fileStore).toMatchObject({
      s3: { endpoint: 'http://minio:9000', region: 'eu-central-1', accessKeyId: 'key', forcePathStyle: true },
    });
  });

  it('keeps sessions 12 hours idle by default', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).sessionIdleMs).toBe(720 * 60_000);
    expect(loadConfig({ DATA_DIR: tmp(), SESSION_IDLE_MINUTES: '30' }).sessionIdleMs).toBe(1_800_000);
  });
});
