import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// BENCH_SERVER_BIN runs another checkout's server (a before/after comparison from one bench process).
const BIN = process.env.BENCH_SERVER_BIN ?? resolve(import.meta.dirname, '../../bin/switchboard.mjs');

export interface ServerProcess {
  port: number;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn until the server answered that it had started. */
  startMs: number;
  /**
   * CPU time (user + system, all threads) the process had used when it answered that it had started: on
   * a shared, loaded machine the wall-clock start stretches with the load, this does not (much).
   */
  startCpuMs: number;
  /** Resident memory of the server process in bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
}

/** Runs a real `switchboard start` (or another command) and resolves once it serves HTTP. */
export async function startServer(
  env: Record<string, string>,
  args = ['start'],
  /** Options for node itself, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      // `SWITCHBOARD_FROM_SOURCE=1 npm run bench …` runs the nodes from source too.
      ...(process.env.SWITCHBOARD_FROM_SOURCE
        ? { SWITCHBOARD_FROM_SOURCE: process.env.SWITCHBOARD_FROM_SOURCE }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      // A worker-only node (`switchboard worker`) serves no HTTP: its port is 0.
      if ((m || args[0] === 'worker') && /Switchboard started/.test(out)) {
        clearTimeout(timer);
        resolvePort(m ? Number(m[1]) : 0);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  const startCpuMs = cpuMsOf(child.pid!);
  // Keep draining output so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    port,
    pid: child.pid!,
    child,
    startMs: Date.now() - started,
    startCpuMs,
    rss: () => rssOf(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) are utime and stime; the slice starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
