import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../../app-context.ts';
import { ManualClock } from '../../../infra/clock.ts';
import { LocalFileStore } from '../../../infra/storage/local-file-store.ts';
import {
  idsIn,
  normaliseSubject,
  plusAddress,
  replySubject,
  tokenInAddress,
  tokenInMessageId,
} from './email-address.ts';
import { automaticMailReason } from './email-guard.ts';
import { sanitizeMailHtml } from './email-html.ts';
import { parseMime } from './email-mime.ts';
import { splitQuoted } from './email-quote.ts';
import { parseMultipart } from './multipart-form.ts';
import { parseAddressList } from './email-webhook.ts';

const ctx = {
  files: new LocalFileStore(mkdtempSync(join(tmpdir(), 'sb-mail-'))),
  clock: new ManualClock(),
} as unknown as AppContext;
const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));
const CONV = '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
const OURS = `m0193a5b27c4d7e8f9a0b1c2d3e4f5a6c.c${CONV.replaceAll('-', '')}.lx2@acme.test`;

describe('quoted history', () => {
  it.each([
    [
      'Gmail',
      'Thanks!\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme <support@acme.test> wrote:\n> Your order shipped.',
    ],
    [
      'Gmail, attribution wrapped',
      'Thanks!\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme Support Team <\nsupport@acme.test> wrote:\n\n> Your order shipped.',
    ],
    [
      'Apple Mail',
      'Thanks!\n\n> On 7 Dec 2026, at 10:00, Acme <support@acme.test> wrote:\n> \n> Your order shipped.',
    ],
    [
      'Outlook',
      'Thanks!\n\n________________________________\nFrom: Acme <support@acme.test>\nSent: Monday, December 7, 2026 10:00\nTo: Carol\nSubject: Order\n\nYour order shipped.',
    ],
    [
      'Outlook, plain',
      'Thanks!\n\n-----Original Message-----\nFrom: Acme\nSent: Monday\n\nYour order shipped.',
    ],
    [
      'German Outlook',
      'Danke!\n\nVon: Acme <support@acme.test>\nGesendet: Montag, 7. Dezember 2026\nAn: Carol\n\nYour order shipped.',
    ],
    [
      'Russian',
      'Спасибо!\n\n7 декабря 2026 г., в 10:00, Acme <support@acme.test> написал:\n> Your order shipped.',
    ],
    ['a bare > block', 'Thanks!\n\n> Your order shipped.\n> Track it here.'],
  ])('%s: the new part and the history', (_client, text) => {
    const { fresh, quoted } = splitQuoted(text);
    expect(['Thanks!', 'Danke!', 'Спасибо!']).toContain(fresh);
    expect(quoted).toMatch(/Your order shipped\./);
  });

  it('keeps an answer written between quoted lines whole, and plain text untouched', () => {
    const interleaved = '> Which size?\nM, please.\n> Which colour?\nBlue.';
    expect(splitQuoted(interleaved)).toEqual({ fresh: interleaved, quoted: null });
    expect(splitQuoted('From: here on I will write plainly.\nBye')).toEqual({
      fresh: 'From: here on I will write plainly.\nBye',
      quoted: null,
    });
  });
});

describe('addresses, ids and subjects', () => {
  it('finds the conversation token in a plus address of the channel only', () => {
    const plus = plusAddress('support@acme.test', CONV);
    expect(plus).toBe(`support+c${CONV.replaceAll('-', '')}@acme.test`);
    expect(tokenInAddress('support@acme.test', plus.toUpperCase())).toBe(`c${CONV.replaceAll('-', '')}`);
    expect(tokenInAddress('support@acme.test', plus.replace('acme.test', 'evil.test'))).toBeNull();
    expect(tokenInAddress('support@acme.test', 'support+hello@acme.test')).toBeNull();
    expect(tokenInMessageId(`<${OURS}>`)).toBe(`c${CONV.replaceAll('-', '')}`);
    expect(tokenInMessageId('<CAF=abc@mail.gmail.com>')).toBeNull();
  });

  it('reads ids from References in every shape mailparser gives', () => {
    expect(idsIn('<a@x> <b@y>\r\n <c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(idsIn(['<a@x>', '<b@y>'])).toEqual(['a@x', 'b@y']);
    expect(idsIn('a@x')).toEqual(['a@x']);
    expect(idsIn(undefined)).toEqual([]);
  });

  it('normalises subjects the way mail clients prefix them', () => {
    for (const s of [
      'Re: Order 1042',
      'RE: Fwd: order 1042',
      'AW: WG: Order  1042',
      'Ответ: Order 1042',
      '[Ticket #12] Re[2]: Order 1042',
      'SV: Order 1042',
    ])
      expect(normaliseSubject(s)).toBe('order 1042');
    expect(replySubject('Order 1042')).toBe('Re: Order 1042');
    expect(replySubject('RE: Order 1042')).toBe('RE: Order 1042');
  });

  it('reads Mailgun and Postmark address lists', () => {
    expect(parseAddressList('"Doe, Jane" <Jane@Example.com>, bob@example.com, Ann Lee <ann@x.test>')).toEqual(
      [
        { address: 'jane@example.com', name: 'Doe, Jane' },
        { address: 'bob@example.com', name: null },
        { address: 'ann@x.test', name: 'Ann Lee' },
      ],
    );
  });
});

describe('loop guard', () => {
  const reason = (h: Record<string, string>) => automaticMailReason((n) => h[n]);
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, /Auto-Submitted/],
    [{ 'auto-submitted': 'auto-generated' }, /Auto-Submitted/],
    [{ precedence: 'bulk' }, /Precedence/],
    [{ precedence: 'auto_reply' }, /Precedence/],
    [{ 'x-autoreply': 'yes' }, /X-Autoreply/],
    [{ 'list-id': '<news.example.com>' }, /List-Id/],
    [{ 'return-path': '<>' }, /Return-Path/],
  ])('drops %o', (h, re) => {
    expect(reason(h)).toMatch(re);
  });
  it('lets a person’s mail through', () => {
    expect(
      reason({ 'auto-submitted': 'no', precedence: 'first-class', 'return-path': '<carol@x.test>' }),
    ).toBeNull();
  });
});

describe('MIME', () => {
  it('a Postfix bounce names our mail and the reason', async () => {
    const raw = crlf([
      'From: MAILER-DAEMON@mx.customer.test (Mail Delivery System)',
      'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied',
      'Message-ID: <20261207100000.ABC@mx.customer.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
      '',
      '--B1',
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      "I'm sorry to have to inform you that your message could not be delivered.",
      '',
      '--B1',
      'Content-Description: Delivery report',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      'Arrival-Date: Mon,  7 Dec 2026 10:00:00 +0000 (UTC)',
      '',
      'Final-Recipient: rfc822; nobody@customer.test',
      'Original-Recipient: rfc822;nobody@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Remote-MTA: dns; mx2.customer.test',
      'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.test>: Recipient address',
      '    rejected: User unknown in local recipient table',
      '',
      '--B1',
      'Content-Description: Undelivered Message',
      'Content-Type: message/rfc822',
      '',
      `Message-ID: <${OURS}>`,
      'From: Acme <support@acme.test>',
      'Subject: Re: Order',
      '',
      'Hello',
      '',
      '--B1--',
      '',
    ]);
    const p = await (await parseMime(raw, 'imap')).build(ctx, 'acc');
    expect(p.dsn).toMatchObject({
      originalMessageId: OURS,
      recipient: 'nobody@customer.test',
      status: '5.1.1',
    });
    expect(p.dsn!.reason).toMatch(/550 5\.1\.1 .*User unknown in local recipient table/);
    expect(p.attachments).toEqual([]);
  });

  it('an HTML-only mail with an RFC 2231 file name and an encoded subject', async () => {
    const raw = crlf([
      'From: =?UTF-8?B?0JDQvdC90LA=?= <anna@customer.test>',
      'To: support@acme.test',
      'Subject: =?UTF-8?Q?Z=C3=A1kazka_=E2=84=96_7?=',
      'Message-ID: <html-only@customer.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="M"',
      '',
      '--M',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<div>Hello <b>team</b><script>steal()</script><img src="cid:logo@x"></div>',
      '--M',
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 test').toString('base64'),
      '--M--',
      '',
    ]);
    const parsed = await parseMime(raw, 'imap');
    expect(parsed.key).toBe('html-only@customer.test');
    const p = await parsed.build(ctx, 'acc');
    expect(p.from).toEqual({ address: 'anna@customer.test', name: 'Анна' });
    expect(p.subject).toBe('Zákazka № 7');
    expect(p.text).toMatch(/Hello team/i);
    expect(p.html).toContain('<b>team</b>');
    expect(p.html).not.toContain('script');
    expect(p.attachments.map((a) => [a.name, a.mimeType])).toEqual([['счёт.pdf', 'application/pdf']]);
    expect(p.original?.mimeType).toBe('message/rfc822');
  });

  it('a mail without Message-ID gets a stable content key', async () => {
    const raw = crlf([
      'From: a@x.test',
      'Subject: hi',
      'Date: Mon, 07 Dec 2026 10:00:00 +0000',
      '',
      'hello',
      '',
    ]);
    const a = await parseMime(raw, 'imap');
    const b = await parseMime(Buffer.from(raw), 'imap');
    expect(a.key).toMatch(/@hash\.invalid$/);
    expect(a.key).toBe(b.key);
  });

  it('sanitises HTML: no handlers, styles, forms or remote images', () => {
    const html = sanitizeMailHtml(
      '<p style="color:red" onclick="x()">Hi</p><form><input></form><img src="https://t.test/p.gif"><img src="cid:a@b"><a href="javascript:x()">j</a><a href="https://ok.test">ok</a>',
    )!;
    expect(html).not.toMatch(/style|onclick|<form|<input|t\.test|javascript/);
    expect(html).toContain('src="cid:a@b"');
    expect(html).toContain('href="https://ok.test"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});

describe('multipart/form-data', () => {
  it('splits fields and files, bytes intact', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="subject"\r\n\r\nHello\r\n'),
      Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="attachment-1"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const parts = parseMultipart(body, 'multipart/form-data; boundary=XyZ');
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['subject', null, null],
      ['attachment-1', 'a.png', 'image/png'],
    ]);
    expect(parts[0]!.data.toString()).toBe('Hello');
    expect(parts[1]!.data.equals(png)).toBe(true);
  });
});
