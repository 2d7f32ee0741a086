import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from './demo.ts';

let demo: RunningDemo;
let cookie = '';
let csrf = '';

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const channelType = {
  telegram: 'telegram',
  whatsapp: 'whatsapp',
  sms: 'twilio_sms',
  messenger: 'messenger',
  instagram: 'instagram',
  vk: 'vk',
  viber: 'viber',
  sms2: 'vonage_sms',
} as const;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${demo.switchboardUrl}${path}`, {
    method,
    headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
};
const phone = async (path: string, body?: unknown) => {
  const res = await fetch(`${demo.phoneUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
};

beforeAll(async () => {
  demo = await startDemo({ port: 0, phonePort: 0, logLevel: 'silent' });
  const login = await fetch(`${demo.switchboardUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demo.login),
  });
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  csrf = (await login.json()).csrfToken;
});
afterAll(async () => {
  await demo?.stop();
});

describe('demo mode', () => {
  it('opens on the waiting view, where two customers with different names already wrote, one with a real photo', async () => {
    expect(demo.waitingUrl).toBe(`${demo.switchboardUrl}/inbox/unassigned`);
    type Conv = {
      id: string;
      assigneeId: string | null;
      contact: { name: string | null };
      channel: { type: string };
    };
    // Before any reply (a reply assigns the conversation to the replier).
    const waiting = await until(
      async () => (await api('GET', '/api/v1/conversations?assignee=none&status=open')).json.items as Conv[],
      (items) => ['telegram', 'whatsapp'].every((t) => items.some((c) => c.channel.type === t)),
    );
    const tg = waiting.find((c) => c.channel.type === 'telegram')!;
    const wa = waiting.find((c) => c.channel.type === 'whatsapp')!;
    expect([tg.contact.name, wa.contact.name]).toEqual(['Anna Petrova', 'Carlos Mendes']);
    const first = (await api('GET', `/api/v1/conversations/${tg.id}/messages`)).json.items[0] as {
      attachments: { url: string }[];
    };
    const url = await until(
      async () =>
        ((await api('GET', `/api/v1/conversations/${tg.id}/messages`)).json.items[0] as typeof first)
          .attachments[0]?.url,
      (u) => typeof u === 'string',
    );
    const photo = Buffer.from(
      await (await fetch(`${demo.switchboardUrl}${url}`, { headers: { cookie } })).arrayBuffer(),
    );
    expect(jpegSize(photo)).toEqual({ width: 640, height: 480 });
    expect(photo.length).toBeGreaterThan(10_000);
  });

  it('serves the customer phone page', async () => {
    const res = await fetch(demo.phoneUrl);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('Customer phone');
  });

  it('connects a Telegram, a WhatsApp, an SMS (Twilio), a Messenger, an Instagram, a VK, a Viber and a second SMS (Vonage) channel', async () => {
    const channels = (await api('GET', '/api/v1/channels')).json.items as { type: string }[];
    expect(channels.map((c) => c.type).sort()).toEqual([
      'email',
      'instagram',
      'messenger',
      'telegram',
      'twilio_sms',
      'viber',
      'vk',
      'vonage_sms',
      'whatsapp',
    ]);
  });

  it.each(['telegram', 'whatsapp', 'sms', 'messenger', 'instagram', 'vk', 'viber', 'sms2'] as const)(
    'a %s customer and an operator talk through the sandbox',
    async (messenger) => {
      const sent = await phone('/api/send', { messenger, text: `Hello from ${messenger}` });
      expect(sent).toEqual({ ok: true, webhookStatus: 200 });
      const conv = await until(
        async () =>
          (await api('GET', '/api/v1/conversations')).json.items as {
            id: string;
            channel: { type: string };
          }[],
        (items) => items.some((c) => c.channel.type === channelType[messenger]),
      ).then((items) => items.find((c) => c.channel.type === channelType[messenger])!);
      const r = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: `Hi! This is the ${messenger} operator`,
        clientMessageId: `demo-${messenger}`,
      });
      expect(r.status).toBe(202);
      const chat = await until(
        async () =>
          (await phone('/api/chats'))[messenger].lines as { from: string; text: string; status?: string }[],
        (lines) => lines.some((l) => l.from === 'business'),
      );
      // Telegram and WhatsApp customers wrote first when the demo started.
      expect(chat.map((l) => [l.from, l.text]).slice(-2)).toEqual([
        ['customer', `Hello from ${messenger}`],
        ['business', `Hi! This is the ${messenger} operator`],
      ]);
      if (messenger === 'sms' || messenger === 'sms2') {
        // Twilio's status callbacks (signed for its webhook URL) and Vonage's (a JWT over the body's hash)
        // reached Switchboard and the phone.
        await until(
          async () => (await phone('/api/chats'))[messenger].lines.at(-1).status,
          (s) => s === 'delivered',
        );
        await until(
          async () =>
            (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json.items.find(
              (m: { id: string }) => m.id === r.json.id,
            ).deliveryStatus,
          (s) => s === 'delivered',
        );
      }
      if (
        messenger === 'whatsapp' ||
        messenger === 'messenger' ||
        messenger === 'instagram' ||
        messenger === 'viber'
      ) {
        // Instagram reports no deliveries, only reads.
        const shown = messenger === 'instagram' ? 'sent' : 'delivered';
        await until(
          async () => (await phone('/api/chats'))[messenger].lines.at(-1).status,
          (s) => s === shown,
        );
        await phone('/api/read', { messenger });
        await until(
          async () =>
            (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json.items.find(
              (m: { id: string }) => m.id === r.json.id,
            ).deliveryStatus,
          (s) => s === 'read',
        );
      }
    },
  );

  it('an e-mail customer and an operator write to each other, the answer threaded', async () => {
    const emailConvs = async () =>
      (
        (await api('GET', '/api/v1/conversations')).json.items as { id: string; channel: { type: string } }[]
      ).filter((c) => c.channel.type === 'email');
    expect(await phone('/api/send', { messenger: 'email', text: 'Where is my parcel?' })).toEqual({
      ok: true,
      webhookStatus: 200,
    });
    const [conv] = await until(emailConvs, (c) => c.length === 1);
    const r = await api('POST', `/api/v1/conversations/${conv!.id}/messages`, {
      text: 'It ships today.',
      clientMessageId: 'demo-email',
    });
    expect(r.status).toBe(202);
    const lines = await until(
      async () => (await phone('/api/chats')).email.lines as { from: string; text: string }[],
      (l) => l.some((x) => x.from === 'business'),
    );
    expect(lines.map((l) => [l.from, l.text])).toEqual([
      ['customer', 'Question about my order\n\nWhere is my parcel?'],
      ['business', 'Re: Question about my order\n\nIt ships today.'],
    ]);
    await phone('/api/send', { messenger: 'email', text: 'Great, thanks!' });
    const msgs = await until(
      async () =>
        (await api('GET', `/api/v1/conversations/${conv!.id}/messages`)).json.items as { text: string }[],
      (m) => m.length === 3,
    );
    expect(msgs.map((m) => m.text)).toContain('Great, thanks!');
    expect(await emailConvs()).toHaveLength(1);
  });

  it('STOP from the SMS phone opts the customer out until START', async () => {
    const conv = (await api('GET', '/api/v1/conversations')).json.items.find(
      (c: { channel: { type: string } }) => c.channel.type === 'twilio_sms',
    );
    expect(await phone('/api/send', { messenger: 'sms', text: 'STOP' })).toEqual({
      ok: true,
      webhookStatus: 200,
    });
    // Twilio's own answer shows on the phone.
    expect((await phone('/api/chats')).sms.lines.at(-1)).toMatchObject({
      from: 'business',
      text: expect.stringMatching(/^You have been unsubscribed/),
    });
    const window = () => api('GET', `/api/v1/conversations/${conv.id}/window`);
    await until(
      async () => (await window()).json,
      (w) => w.reason === 'opted_out' && w.open === false,
    );
    const refused = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Still there?',
      clientMessageId: 'demo-sms-after-stop',
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('opted_out');
    await phone('/api/send', { messenger: 'sms', text: 'START' });
    await until(
      async () => (await window()).json,
      (w) => w.open === true,
    );
  });

  it('VK: denying messages from the phone refuses replies until the customer allows them again', async () => {
    const conv = (await api('GET', '/api/v1/conversations')).json.items.find(
      (c: { channel: { type: string } }) => c.channel.type === 'vk',
    );
    const window = async () => (await api('GET', `/api/v1/conversations/${conv.id}/window`)).json;
    const send = (text: string) =>
      api('POST', `/api/v1/conversations/${conv.id}/messages`, { text, clientMessageId: `vk-${text}` });
    expect(await phone('/api/send', { messenger: 'vk', text: '/deny' })).toEqual({
      ok: true,
      webhookStatus: 200,
    });
    await until(window, (w) => w.reason === 'opted_out');
    expect((await send('Still there?')).status).toBe(422);
    await phone('/api/send', { messenger: 'vk', text: '/allow' });
    await until(window, (w) => w.open === true);
    expect((await send('Welcome back')).status).toBe(202);
  });

  it('STOP from the second SMS (Vonage) tab opts out through the same keyword engine, START opts in', async () => {
    const conv = (await api('GET', '/api/v1/conversations')).json.items.find(
      (c: { channel: { type: string } }) => c.channel.type === 'vonage_sms',
    );
    const window = async () => (await api('GET', `/api/v1/conversations/${conv.id}/window`)).json;
    expect(await phone('/api/send', { messenger: 'sms2', text: 'СТОП' })).toEqual({
      ok: true,
      webhookStatus: 200,
    });
    await until(window, (w) => w.reason === 'opted_out' && w.open === false);
    await phone('/api/send', { messenger: 'sms2', text: 'START' });
    await until(window, (w) => w.open === true);
  });

  it('Viber on the phone: opening the chat gets the welcome, unsubscribing stops replies', async () => {
    expect(await phone('/api/viber', { action: 'open' })).toEqual({ ok: true, webhookStatus: 200 });
    expect((await phone('/api/chats')).viber.lines.at(-1)).toMatchObject({
      from: 'business',
      text: 'Hi! This is Demo Shop. Write to us here any time.',
    });
    await phone('/api/send', { messenger: 'viber', text: 'Is my order ready?' });
    const conv = await until(
      async () =>
        (await api('GET', '/api/v1/conversations')).json.items.find(
          (c: { channel: { type: string } }) => c.channel.type === 'viber',
        ),
      (c) => c !== undefined,
    );
    await phone('/api/viber', { action: 'unsubscribe' });
    const window = () => api('GET', `/api/v1/conversations/${conv.id}/window`);
    await until(
      async () => (await window()).json,
      (w) => w.reason === 'opted_out' && w.open === false,
    );
    await phone('/api/viber', { action: 'subscribe' });
    await until(
      async () => (await window()).json,
      (w) => w.open === true,
    );
  });

  it('a photo from the phone is downloaded into Switchboard', async () => {
    await phone('/api/send', { messenger: 'whatsapp', photo: true, text: 'photo caption' });
    const conv = (await api('GET', '/api/v1/conversations')).json.items.find(
      (c: { channel: { type: string } }) => c.channel.type === 'whatsapp',
    );
    const url = await until(
      async () => {
        const msgs = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json.items;
        return msgs.find((m: { text: string }) => m.text === 'photo caption')?.attachments[0]?.url as
          | string
          | undefined;
      },
      (u) => typeof u === 'string' && u.startsWith('/api/v1/attachments/'),
    );
    const file = await fetch(`${demo.switchboardUrl}${url}`, { headers: { cookie } });
    expect(file.headers.get('content-type')).toBe('image/jpeg');
  });
});

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(b: Buffer): { width: number; height: number } {
  for (let i = 2; i < b.length; ) {
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2)
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('not a JPEG with a frame header');
}

describe('demo first minutes (issue 18)', () => {
  it('deletes its temporary data when it stops, unless kept', async () => {
    const gone = await startDemo({ port: 0, phonePort: 0, logLevel: 'silent' });
    expect(existsSync(join(gone.dataDir, 'demo.db'))).toBe(true);
    await gone.stop();
    expect(existsSync(gone.dataDir)).toBe(false);
    const kept = await startDemo({ port: 0, phonePort: 0, logLevel: 'silent', keep: true });
    await kept.stop();
    expect(existsSync(join(kept.dataDir, 'demo.db'))).toBe(true);
    rmSync(kept.dataDir, { recursive: true, force: true });
  }, 120_000);
});
