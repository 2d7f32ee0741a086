import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { safeDownload } from './safe-download.ts';

let server: Server;
let other: Server;
let host: string;
let otherHost: string;
const seen: { path: string; auth: string | undefined }[] = [];

function listen(s: Server): Promise<string> {
  return new Promise((r) =>
    s.listen(0, '127.0.0.1', () => r(`127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/file') return res.end(Buffer.from('hello bytes'));
    if (u.pathname === '/big') {
      res.writeHead(200, { 'content-length': '100' });
      return res.end(Buffer.alloc(100));
    }
    if (u.pathname === '/chunked-big') {
      res.write(Buffer.alloc(60));
      return res.end(Buffer.alloc(60));
    }
    if (u.pathname === '/to-other') {
      res.writeHead(302, { location: `http://${otherHost}/file` });
      return res.end();
    }
    if (u.pathname === '/to-v6-loopback') {
      res.writeHead(302, { location: `http://[::1]:${otherHost.split(':')[1]}/file` });
      return res.end();
    }
    if (u.pathname === '/busy') {
      res.writeHead(503, { 'retry-after': '9' });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  });
  other = createServer((req, res) => {
    seen.push({ path: `other${req.url}`, auth: req.headers.authorization });
    res.end('other bytes');
  });
  host = await listen(server);
  otherHost = await listen(other);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => other.close(r));
});

describe('safeDownload', () => {
  const max = 50;
  const allow = ['127.0.0.1'];

  it('refuses loopback by address and by name unless ALLOW_PRIVATE_URLS lists it', async () => {
    await expect(safeDownload(`http://${host}/file`, { maxBytes: max })).rejects.toMatchObject({
      code: 'blocked_address',
    });
    const port = host.split(':')[1];
    await expect(safeDownload(`http://localhost:${port}/file`, { maxBytes: max })).rejects.toMatchObject({
      code: 'blocked_address',
    });
    await expect(safeDownload(`http://[::1]:${port}/file`, { maxBytes: max })).rejects.toBeInstanceOf(
      PermanentError,
    );
    const ok = await safeDownload(`http://${host}/file`, { maxBytes: max, allow });
    expect(ok.bytes.toString()).toBe('hello bytes');
  });

  it('re-checks every redirect and drops the token when the host changes', async () => {
    seen.length = 0;
    await expect(
      safeDownload(`http://${host}/to-v6-loopback`, { maxBytes: max, allow }),
    ).rejects.toMatchObject({ code: 'blocked_address' });
    const r = await safeDownload(`http://${host}/to-other`, {
      maxBytes: max,
      allow,
      headers: { authorization: 'Bearer secret' },
    });
    expect(r.bytes.toString()).toBe('other bytes');
    expect(seen.find((s) => s.path === '/to-other')?.auth).toBe('Bearer secret');
    expect(seen.find((s) => s.path === 'other/file')?.auth).toBeUndefined();
  });

  it('enforces the size limit from Content-Length and while streaming', async () => {
    await expect(safeDownload(`http://${host}/big`, { maxBytes: max, allow })).rejects.toMatchObject({
      code: 'too_large',
    });
    await expect(safeDownload(`http://${host}/chunked-big`, { maxBytes: max, allow })).rejects.toMatchObject({
      code: 'too_large',
    });
  });

  it('retries 5xx (with Retry-After) and gives up on 4xx and bad URLs', async () => {
    const busy = await safeDownload(`http://${host}/busy`, { maxBytes: max, allow }).catch((e) => e);
    expect(busy).toBeInstanceOf(RetryableError);
    expect(busy.retryAfterMs).toBe(9000);
    await expect(safeDownload(`http://${host}/missing`, { maxBytes: max, allow })).rejects.toMatchObject({
      code: 'download_failed',
    });
    await expect(safeDownload('file:///etc/passwd', { maxBytes: max })).rejects.toMatchObject({
      code: 'blocked_address',
    });
    await expect(safeDownload('not a url', { maxBytes: max })).rejects.toBeInstanceOf(PermanentError);
  });
});
