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

  it('keeps sessions 12 hours idle by default', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).sessionIdleMs).toBe(720 * 60_000);
    expect(loadConfig({ DATA_DIR: tmp(), SESSION_IDLE_MINUTES: '30' }).sessionIdleMs).toBe(1_800_000);
  });
});
