import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  headers: IncomingMessage['headers'];
  raw: string;
  body: unknown;
}

/** A business's backend receiving API-channel callbacks over real HTTP; its answers are scriptable. */
export class FakeCallbackServer {
  readonly received: ReceivedCallback[] = [];
  /** Next answers, consumed in order; then 200 `{"messageId": "ext-<n>"}`. */
  readonly script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {}
        this.received.push({ headers: req.headers, raw, body });
        const next = this.script.shift() ?? {
          status: 200,
          body: JSON.stringify({ messageId: `ext-${this.received.length}` }),
        };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(next.body ?? '{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

/** A callback receiver for the whole suite, started before it, stopped after it, emptied before each test. */
export function useCallbackServer(): FakeCallbackServer {
  const server = new FakeCallbackServer();
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.received.length = 0;
  });
  return server;
}
