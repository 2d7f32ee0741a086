import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/node-process.ts';

const BIN = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));
const alive = new Set<ChildProcess>();

// A scenario that throws or a runner that is interrupted must not leave servers behind.
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/**
 * One `switchboard start` process that can be killed with SIGKILL and started again on the same port,
 * so the provider simulator keeps one URL and simply sees refused connections while the node is down.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private output = '';
  /** Every pid this server had, in start order (a restart is a new process). */
  readonly pids: number[] = [];
  /** Error-level log lines (pino level ≥ 50), summarised, across restarts; at most 200 kept. */
  readonly errors: string[] = [];
  private partial = '';

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {}

  static async create(name: string, env: Record<string, string>, cwd: string): Promise<ServerProcess> {
    return new ServerProcess(name, await freePort(), env, cwd);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once /api/health answers 200; returns how long that took. */
  async start(timeoutMs = 60_000): Promise<number> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'start'], {
      // Only what we pass (plus PATH/HOME): neither the runner's variables nor a developer's .env apply.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      cwd: this.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    alive.add(child);
    this.pids.push(child.pid ?? -1);
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-16_000);
      this.scanForErrors(d.toString());
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        alive.delete(child);
        resolve(code);
      }),
    );
    const deadline = started + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.log()}`);
      try {
        const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return Date.now() - started;
      } catch {}
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.kill();
    throw new Error(`${this.name} did not answer /api/health within ${timeoutMs} ms:\n${this.log()}`);
  }

  /** `kill -9`: no shutdown hook runs, in-flight requests and jobs are cut off mid-way. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (SIGTERM), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private scanForErrors(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{') || this.errors.length >= 200) continue;
      try {
        const entry = JSON.parse(line) as {
          level?: number;
          msg?: string;
          err?: { type?: string; code?: string; message?: string };
        };
        if ((entry.level ?? 0) < 50) continue;
        const e = entry.err;
        this.errors.push(
          `${entry.msg ?? ''}${e ? `: ${e.type ?? ''} ${e.code ?? ''} ${e.message ?? ''}` : ''}`.trim(),
        );
      } catch {}
    }
  }

  /** The last lines the process printed (kept across restarts), for failure reports. */
  log(): string {
    return this.output.slice(-6000);
  }
}
