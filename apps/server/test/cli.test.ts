import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/switchboard.mjs');

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('switchboard CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'sb.db')}` };

  it('migrates, creates an admin, and refuses bad input without a stack trace', () => {
    let r = cli(['migrate'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Applied: 0001_init|up to date/);
    r = cli(
      ['create-admin', '--email', 'Owner@Example.com', '--password', 'long-enough-pw', '--account', 'Salon'],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Created account .* with admin Owner@Example.com/);
    const firstUser = /\(user (\S+)\)/.exec(r.out)![1];
    // The same e-mail in another account is a separate user with its own password.
    r = cli(
      ['create-admin', '--email', 'owner@example.com', '--password', 'another-long-pw', '--account', 'Spa'],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(/\(user (\S+)\)/.exec(r.out)![1]).not.toBe(firstUser);
    // The same e-mail and account name again is a mistake unless asked for explicitly.
    r = cli(
      ['create-admin', '--email', 'owner@example.com', '--password', 'third-long-pw1', '--account', 'Salon'],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(
      /^switchboard: owner@example.com already administers an account named "Salon" \(\S+\); pass --add-account/,
    );
    r = cli(
      [
        'create-admin',
        '--email',
        'owner@example.com',
        '--password',
        'third-long-pw1',
        '--account',
        'Salon',
        '--add-account',
      ],
      env,
    );
    expect(r.code, r.err).toBe(0);
    r = cli(['create-admin', '--email', 'x@example.com', '--password', 'short', '--account', 'A'], env);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('switchboard: The password needs at least 10 characters');
    r = cli(['create-admin', '--email', 'x@example.com', '--password', 'qwertyuiop', '--account', 'A'], env);
    expect(r.err.trim()).toBe('switchboard: This password is one of the most common ones; choose another');
    r = cli(['create-admin', '--email', 'x@example.com'], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/required option/);
  }, 120_000);

  it('explains bad configuration and an unreachable database plainly', () => {
    let r = cli(['migrate'], { ...env, DATABASE_URL: 'mysql://localhost/x' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^switchboard: .*DATABASE_URL must start with sqlite: or postgres:\/\//);
    expect(r.err).not.toMatch(/\n\s+at /);
    r = cli(['migrate'], { ...env, DATABASE_URL: 'postgres://sb:pw@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^switchboard: Cannot open the database \(postgres:\/\/sb:\*\*\*@127\.0\.0\.1:1\/none\)/,
    );
    r = cli(['start'], { ...env, REDIS_URL: 'redis://127.0.0.1:1', PORT: '0' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^switchboard: Cannot connect to Redis/);
  }, 120_000);

  it('start serves the API on the embedded database and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const port = await new Promise<number>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no port in output: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(Number(m[1]));
        }
      });
    });
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
