import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prettyLine } from '../src/infra/pretty-log.ts';

const BIN = resolve(import.meta.dirname, '../bin/switchboard.mjs');
const running = new Set<ChildProcess>();
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `switchboard start` until it printed where the console is. With `tty`, inside `script`, which gives
 * the server a pseudo-terminal as its standard output, as a person's terminal does.
 */
async function start(env: Record<string, string>, tty: boolean): Promise<string> {
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env };
  const child = tty
    ? spawn('script', ['-qfec', `${shellQuote(process.execPath)} ${shellQuote(BIN)} start`, '/dev/null'], {
        env: fullEnv,
      })
    : spawn(process.execPath, [BIN, 'start'], { env: fullEnv });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no console URL in 90 s:\n${out}`)), 90_000);
    const check = () => {
      if (/Console: http/.test(out) && /Switchboard started/.test(out)) {
        clearTimeout(timer);
        // The first-admin note follows the URL in the same tick; give the pipe a moment.
        setTimeout(res, 300);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => rej(new Error(`exited with ${code}:\n${out}`)));
  });
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  running.delete(child);
  return out;
}

afterEach(() => {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
});

describe.skipIf(!existsSync('/usr/bin/script'))('npm start logs (issue 18, first minutes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-start-log-'));
  const env = {
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'sb.db')}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };

  it('on a terminal: readable lines, the console URL and, on an empty database, the first-admin command', async () => {
    const out = await start(env, true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: colours are part of a terminal's line
    const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\d\d:\d\d:\d\d INFO {2}Switchboard started: http on 127\.0\.0\.1:\d+ \+ worker/m);
    expect(plain).toMatch(/^\d\d:\d\d:\d\d INFO {2}Console: http:\/\/localhost:\d+\/\r?$/m);
    expect(plain).toMatch(/No admin yet\. Create the first one.*npx switchboard create-admin --email/);
    // Nothing on the terminal is a raw JSON log line.
    expect(plain).not.toMatch(/^\{"level"/m);
  }, 120_000);

  it('piped (a log collector): JSON lines; once an admin exists, no first-admin note', async () => {
    let out = await start(env, false);
    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Console: http:\/\/localhost:\d+\/$/)]),
    );
    expect(lines.some((l) => /No admin yet/.test(l.msg))).toBe(true);

    const made = spawnSync(
      process.execPath,
      [
        BIN,
        'create-admin',
        '--email',
        'owner@example.com',
        '--password',
        'long-enough-pw',
        '--account',
        'Salon',
      ],
      { env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(made.status, made.stderr).toBe(0);
    out = await start({ ...env, PUBLIC_URL: 'https://chat.example.com' }, false);
    expect(out).toContain('"msg":"Console: https://chat.example.com/"');
    expect(out).not.toContain('No admin yet');
  }, 180_000);

  it('formats a line with its fields and an error stack', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 50,
        time: '2026-12-07T17:03:04.000Z',
        msg: 'job failed',
        job: 'deliver',
        note: 'two words',
        err: { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)' },
      }),
      false,
    );
    expect(line).toBe(
      '17:03:04 ERROR job failed job=deliver note="two words"\n    Error: boom\n        at x (y.ts:1:1)\n',
    );
  });
});
