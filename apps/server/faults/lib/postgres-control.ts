import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * Stops and starts the machine's PostgreSQL cluster (the one every test uses) with pg_ctlcluster.
 * Other suites may be running against it: callers keep outages to a few seconds and must call
 * `ensurePostgresRunning` in a finally block.
 */
function cluster(): [string, string] {
  const versions = readdirSync('/etc/postgresql').sort();
  const version = versions[versions.length - 1];
  if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql');
  return [version, 'main'];
}

function pgCtl(action: 'status'): { code: number | null; output: string } {
  const [version, name] = cluster();
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, action], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { code: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** Whether this machine can restart its PostgreSQL (pg_ctlcluster present and allowed). */
export function canControlPostgres(): boolean {
  try {
    cluster();
    return pgCtl('status').code === 0;
  } catch {
    return false;
  }
}

/** Asynchronous, so the load generator in this process keeps running while PostgreSQL goes down. */
async function pgCtlAsync(action: 'start' | 'stop'): Promise<void> {
  const [version, name] = cluster();
  const args = [
    '--skip-systemctl-redirect',
    version,
    name,
    action,
    ...(action === 'stop' ? ['-m', 'fast'] : []),
  ];
  const child = spawn('pg_ctlcluster', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`pg_ctlcluster ${action} failed (${code}): ${output.trim()}`);
}

export const stopPostgres = () => pgCtlAsync('stop');
export const startPostgres = () => pgCtlAsync('start');

/** Starts the cluster if it is not running (status exits non-zero when it is down). */
export async function ensurePostgresRunning(): Promise<void> {
  if (pgCtl('status').code !== 0) await startPostgres();
}
