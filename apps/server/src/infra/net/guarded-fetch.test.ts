import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedUrlError, createGuardedFetch, guardedFetch } from './guarded-fetch.ts';

let server: Server;
let port: number;
const seen: { path: string; contentType?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
      });
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      }
      if (u.pathname === '/to-nat64') {
        res.writeHead(307, { location: `http://[64:ff9b::7f00:1]:${port}/ok` });
        return res.end();
      }
      if (u.pathname === '/to-ok') {
        res.writeHead(302, { location: '/ok' });
        return res.end();
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

const refused = { name: 'BlockedUrlError', code: 'blocked_address' };

describe('guardedFetch', () => {
  it('refuses a loopback address without the allowlist and reaches it with it', async () => {
    const err = await guardedFetch(`http://127.0.0.1:${port}/ok`).catch((e) => e);
    expect(err).toBeInstanceOf(BlockedUrlError);
    expect(err.code).toBe('blocked_address');
    const res = await guardedFetch(`http://127.0.0.1:${port}/ok`, {}, { allow: ['127.0.0.1'] });
    expect(await res.text()).toBe('ok');
  });

  it('refuses a name that resolves to loopback, checked at connection time', async () => {
    seen.length = 0;
    await expect(guardedFetch(`http://localhost:${port}/ok`)).rejects.toBeInstanceOf(BlockedUrlError);
    // An address entry does not cover ::1, which localhost may also resolve to; the name entry does.
    const res = await guardedFetch(`http://localhost:${port}/ok`, {}, { allow: ['localhost'] });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it.each([
    '[::127.0.0.1]',
    '[::7f00:1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:0:7f00:1]',
    '[64:ff9b::7f00:1]',
    '[2002:7f00:1::]',
    '[::1]',
    '[fe80::1]',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '2130706433', // 127.0.0.1 as one decimal number: the URL parser normalises it
  ])('refuses http://%s', async (host) => {
    seen.length = 0;
    await expect(guardedFetch(`http://${host}:${port}/ok`)).rejects.toMatchObject(refused);
    expect(seen).toHaveLength(0);
  });

  it('re-checks redirects: a hop to a private address is refused, even from an allowed host', async () => {
    const allow = ['127.0.0.1'];
    await expect(guardedFetch(`http://127.0.0.1:${port}/to-metadata`, {}, { allow })).rejects.toMatchObject(
      refused,
    );
    await expect(guardedFetch(`http://127.0.0.1:${port}/to-nat64`, {}, { allow })).rejects.toMatchObject(
      refused,
    );
    const ok = await guardedFetch(`http://127.0.0.1:${port}/to-ok`, {}, { allow });
    expect(await ok.text()).toBe('ok');
  });

  it('refuses other schemes and non-URLs', async () => {
    await expect(guardedFetch('file:///etc/passwd')).rejects.toMatchObject(refused);
    await expect(guardedFetch('gopher://127.0.0.1:70/')).rejects.toMatchObject(refused);
    await expect(guardedFetch('not a url')).rejects.toMatchObject(refused);
  });

  it('as a bound fetch, sends JSON and multipart bodies unchanged', async () => {
    seen.length = 0;
    const f = createGuardedFetch({ allow: ['127.0.0.1'] });
    await f(`http://127.0.0.1:${port}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob([Buffer.from('bytes')], { type: 'text/plain' }), 'a.txt');
    await f(`http://127.0.0.1:${port}/form`, { method: 'POST', body: form });
    expect(seen[0]).toMatchObject({ path: '/json', body: '{"a":1}' });
    expect(seen[1]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[1]!.body).toContain('filename="a.txt"');
    expect(seen[1]!.body).toContain('bytes');
    await expect(createGuardedFetch()(`http://127.0.0.1:${port}/json`)).rejects.toMatchObject(refused);
  });
});
