import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// BENCH_SERVER_BIN runs another checkout's server (a before/after comparison from one bench process).
const BIN = process.env.BENCH_SERVER_BIN ?? resolve(import.meta.dirname, '../../bin/switchboard.mjs');

export interface BenchAccount {
  base: string;
  cookie: string;
  csrf: string;
  channelId: string;
  secret: string;
}

/** Creates an admin with the CLI, signs in, and creates an API channel — the way a user would. */
export async function setUpAccount(
  base: string,
  env: Record<string, string>,
  callbackUrl?: string,
): Promise<BenchAccount> {
  const email = `bench-${Date.now()}@example.com`;
  const password = 'bench-password-1';
  const r = spawnSync(
    process.execPath,
    [BIN, 'create-admin', '--email', email, '--password', password, '--account', 'Bench'],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`create-admin failed: ${r.stderr}`);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const ch = await fetch(`${base}/api/v1/channels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ type: 'api', name: 'Bench', settings: callbackUrl ? { callbackUrl } : {} }),
  });
  const channel = (await ch.json()) as { id: string; connection: { secret: string } };
  return { base, cookie, csrf: csrfToken, channelId: channel.id, secret: channel.connection.secret };
}
