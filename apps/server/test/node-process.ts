import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/switchboard.mjs', import.meta.url));
const running = new Set<ChildProcess>();

// If the test runner exits without afterAll (a crash, a timeout), no server may outlive it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * The environment of a child: only what we pass (plus PATH/HOME), so neither the runner's variables nor a
 * developer's `.env` (children run in their data folder) change what is being tested.
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}

/** Runs a CLI command (`create-admin ...`) to completion. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), cwd });
  running.add(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  running.delete(child);
  return { code, output };
}

/** A port that was free a moment ago (the OS hands out a fresh one; reuse within the run is unlikely). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** One `switchboard start` process, as an operator would run it on a server. */
export class NodeProcess {
  private output = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((r) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        running.delete(child);
        r(code);
      }),
    );
  }

  /** Starts `switchboard start` and waits until /api/health answers. */
  static async start(
    name: string,
    env: Record<string, string>,
    cwd: string,
    timeoutMs = 30_000,
  ): Promise<NodeProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
      cwd,
    });
    running.add(child);
    const node = new NodeProcess(name, `http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (node.exitCode !== undefined) {
        throw new Error(`${name} exited with ${node.exitCode} while starting:\n${node.log()}`);
      }
      try {
        const res = await fetch(`${node.url}/api/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return node;
      } catch {}
      if (Date.now() > deadline) {
        await node.stop();
        throw new Error(`${name} did not answer /api/health within ${timeoutMs} ms:\n${node.log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Dies at once (SIGKILL): nothing is closed, given back or flushed. */
  async kill(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** What the process printed (for failure messages). */
  log(): string {
    return this.output.slice(-4000);
  }

  /** SIGTERM (graceful stop), then SIGKILL if it is still there after `graceMs`. Returns the exit code. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
