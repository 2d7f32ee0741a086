import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Small plumbing shared by the sandbox providers: plain node:http, no framework. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<void> | void;

export async function readBody(req: IncomingMessage, max = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  text = JSON.stringify(body),
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendBytes(res: ServerResponse, bytes: Buffer, mime: string): void {
  res.writeHead(200, { 'content-type': mime, 'content-length': bytes.length });
  res.end(bytes);
}

/** A running HTTP server on 127.0.0.1 (or the given host) with its base URL. */
export class SandboxServer {
  private server: Server | undefined;
  url = '';

  constructor(private readonly handler: Handler) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      void (async () => {
        try {
          const body = await readBody(req);
          const url = new URL(req.url ?? '/', 'http://sandbox.local');
          await this.handler(req, res, url, body);
        } catch (err) {
          if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
          else res.end();
        }
      })();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
    this.url = `http://${shownHost}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/** Bot API style parameters: JSON body, urlencoded body or query string (nested values as JSON). */
export function requestParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' && body.length > 0) {
    const v = JSON.parse(body.toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('JSON body must be an object');
    return v as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  const add = (k: string, v: string) => {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  };
  for (const [k, v] of url.searchParams) add(k, v);
  if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) add(k, v);
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
