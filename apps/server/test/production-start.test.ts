import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = resolve(import.meta.dirname, '..');
const MAIN = join(SERVER, 'dist', 'main.mjs');
const BIN = join(SERVER, 'bin', 'switchboard.mjs');

// The compiled start (`npm start` → dist/) must behave like the sources: the modules that find files
// beside them (console and widget builds, the password list) still find them from inside the bundle,
// and no TypeScript is compiled at boot.
describe('production start from dist/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dist-'));
  const env = {
    PATH: process.env.PATH ?? '',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'sb.db')}`,
    SWITCHBOARD_SECRET: 'dist-test-secret-dist-test-secret',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  let child: ReturnType<typeof spawn> | undefined;
  let base = '';

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(SERVER, 'scripts', 'ensure-built.mjs')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(built.status, built.stderr).toBe(0);
    // Through the `switchboard` command, as `npm start` runs it: with a current build it must take dist/.
    child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    base = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no start in 60 s:\n${out}`)), 60_000);
      const on = (d: Buffer) => {
        out += d.toString();
        const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && /Switchboard started/.test(out)) {
          clearTimeout(timer);
          res(m[1]!);
        }
      };
      child!.stdout!.on('data', on);
      child!.stderr!.on('data', on);
      child!.on('exit', (code) => rej(new Error(`exited with ${code}:\n${out}`)));
    });
  }, 180_000);

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('compiles no TypeScript at boot', () => {
    // tsx compiles through an esbuild service process, a child of the server; the build has none.
    const children = readdirSync(`/proc/${child!.pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${child!.pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean),
    );
    const commands = children.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    expect(commands.filter((c) => /esbuild/.test(c))).toEqual([]);
    expect(readFileSync(`/proc/${child!.pid}/maps`, 'utf8')).not.toMatch(/node_modules\/tsx\//);
  });

  it('runs from the sources when asked (SWITCHBOARD_FROM_SOURCE=1), as after an edit', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], {
      env: { ...env, SWITCHBOARD_FROM_SOURCE: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage: switchboard/);
  });

  it('serves the console, the widget script, the API and its docs', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root"|<!doctype html>/i);
    const widget = await fetch(`${base}/widget.js`);
    expect(widget.status).toBe(200);
    const health = (await (await fetch(`${base}/api/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect((await fetch(`${base}/api/docs/static/swagger-ui.css`)).status).toBe(200);
  });

  it('finds the common-password list beside its source', () => {
    const r = spawnSync(
      process.execPath,
      [MAIN, 'create-admin', '--email', 'a@example.com', '--password', 'password123', '--account', 'A'],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/common/i);
  });
});
