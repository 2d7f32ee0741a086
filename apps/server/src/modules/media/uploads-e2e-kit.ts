import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { type Session, type TestApp, createTestApp } from '../../../test/test-app.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';

import type { DialectName } from '../../infra/db/database.ts';

export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(3000),
]);
export const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
export const GIF = Buffer.concat([Buffer.from('GIF89a'), randomBytes(500)]);
export const MAX = 200_000;
export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An upload's answer: the stored file, or an error. */
export interface Answer {
  id: string;
  mimeType: string;
  error: { code: string; message: string; details?: unknown };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The uploads suites' app: listening on a fixed free port that is also its PUBLIC_URL (signed links
 * point at it), with a callback receiver and the Telegram and WhatsApp sandboxes, for the whole suite.
 */
export function useUploadsApp(dialect: DialectName) {
  let t: TestApp;
  let base: string;
  let callback: FakeCallbackServer;
  let tg: TelegramSandbox;
  let wa: WhatsAppSandbox;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    [callback, tg, wa] = await Promise.all([
      new FakeCallbackServer().start(),
      new TelegramSandbox().start(),
      new WhatsAppSandbox().start(),
    ]);
    t = await createTestApp(dialect, {
      env: { PORT: String(port), PUBLIC_URL: base, MEDIA_MAX_BYTES: String(MAX) },
    });
    await t.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await wa?.settle();
    await t?.close();
    await Promise.all([callback?.stop(), tg?.stop(), wa?.stop()]);
  });

  /** A real multipart request over HTTP, as a browser's FormData sends it. */
  async function upload(
    file: { bytes: Buffer; name: string; type?: string } | null,
    opts: { session?: Session; headers?: Record<string, string>; form?: FormData; body?: BodyInit } = {},
  ) {
    const s = opts.session ?? t.admin;
    const form = opts.form ?? new FormData();
    if (file)
      form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? '' }), file.name);
    const res = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: opts.headers ?? { cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: opts.body ?? form,
    });
    return { status: res.status, json: (await res.json()) as Answer };
  }
  const api = (method: string, url: string, body?: unknown) => t.as(t.admin, method, url, body);
  const conversationOf = async (channelId: string) =>
    (await api('GET', `/api/v1/conversations?channel=${channelId}`)).json().items[0];
  const reply = async (convId: string, body: Record<string, unknown>) => {
    const r = await api('POST', `/api/v1/conversations/${convId}/messages`, {
      clientMessageId: randomBytes(6).toString('hex'),
      ...body,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json();
  };

  return {
    /** The suite's app, sandboxes and URL (there once the suite started). */
    current: () => ({ t, base, callback, tg, wa }),
    upload,
    api,
    conversationOf,
    reply,
  };
}
