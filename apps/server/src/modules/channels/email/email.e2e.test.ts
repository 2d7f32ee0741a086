import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MailApp,
  MailWorld,
  SUPPORT_ADDRESS,
  SUPPORT_LOGIN,
  mailApp,
} from '../../../../test/mail-harness.ts';
import { appendMail } from '../../../../test/smtp-relay.ts';
import { testDialects } from '../../../../test/test-db.ts';

const dialects = await testDialects();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw)?.[1]
    ?.replace(/\r?\n[ \t]+/g, ' ')
    .trim();

/**
 * The e-mail channel against real mail servers: Dovecot holds the mailboxes, a real SMTP server
 * (smtp-server) delivers into them; Switchboard reads the support mailbox over IMAP (IDLE) and answers
 * through SMTP. Each dialect gets its own app and channel on the same mailbox (mail already read there
 * is \Seen, so the second channel starts clean).
 */
describe.each(dialects)('E-mail channel against Dovecot (%s)', (dialect) => {
  const world = new MailWorld();
  let a: MailApp;
  let firstConv: string;
  let customerFirstId: string;

  beforeAll(async () => {
    await world.start();
    a = await mailApp(dialect, world);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await world.stop();
  });

  it('turns a plain mail into a conversation, and flags it \\Seen', async () => {
    customerFirstId = await world.customerSends({
      subject: 'Order 1042',
      text: 'Where is my order?\n\nCarol',
    });
    const [conv] = await a.until(a.conversations, (c) => c.length === 1);
    firstConv = conv!.id;
    const [m] = await a.messages(firstConv);
    expect(m).toMatchObject({ direction: 'in', contentKind: 'text', text: 'Where is my order?\n\nCarol' });
    expect(m!.providerMessageId).toBe(customerFirstId);
    expect((m!.meta as { email: Record<string, unknown> }).email).toMatchObject({
      subject: 'Order 1042',
      from: { address: 'carol@customer.test', name: 'Carol Customer' },
    });
    // The original MIME is kept to download.
    expect(m!.attachments).toHaveLength(1);
    const row = await a.until(
      () =>
        a.t.ctx.db.kysely
          .selectFrom('email_mailboxes')
          .selectAll()
          .where('channel_id', '=', a.channelId)
          .executeTakeFirstOrThrow(),
      (r) => Number(r.last_uid) > 0,
    );
    expect(row.uid_validity).toBeTruthy();
  });

  it('stores the files of a multipart mail and sanitises its HTML', async () => {
    await world.customerSends({
      subject: 'Invoice please',
      text: 'Attached is the invoice.',
      html: '<p>Attached is the <b>invoice</b>.</p><script>alert(1)</script><img src="https://tracker.test/p.gif"><a href="javascript:alert(1)" onclick="x()">x</a>',
      attachments: [{ filename: 'invoice.pdf', content: PDF, contentType: 'application/pdf' }],
    });
    const convs = await a.until(a.conversations, (c) => c.length === 2);
    const conv = convs.find((c) => c.id !== firstConv)!;
    const [m] = await a.messages(conv.id);
    expect(m).toMatchObject({ contentKind: 'document', text: 'Attached is the invoice.' });
    const files = m!.attachments as { name: string; mimeType: string; size: number }[];
    expect(files.map((f) => f.name)).toEqual(['invoice.pdf', 'original.eml']);
    expect(files[0]).toMatchObject({ mimeType: 'application/pdf', size: PDF.length });
    const html = (m!.meta as { email: { html: string } }).email.html;
    expect(html).toContain('<b>invoice</b>');
    expect(html).not.toMatch(/script|onclick|javascript:|tracker\.test/);
  });

  let ourMessageId: string;
  it('sends the reply as a mail reply: threading headers, plus address, operator in From', async () => {
    const res = await a.h.reply(firstConv, 'It left the warehouse today.');
    expect(res.statusCode, res.body).toBe(202);
    await a.t.drainJobs();
    const out = (await a.messages(firstConv)).find((m) => m.direction === 'out')!;
    expect(out.deliveryStatus).toBe('sent');
    ourMessageId = out.providerMessageId!;
    expect(ourMessageId).toMatch(/@acme\.test$/);
    const sent = world.relay.received.at(-1)!;
    expect(sent.to).toEqual(['carol@customer.test']);
    const raw = sent.raw.toString('utf8');
    expect(header(raw, 'Message-ID')).toBe(`<${ourMessageId}>`);
    expect(header(raw, 'In-Reply-To')).toBe(`<${customerFirstId}>`);
    expect(header(raw, 'References')).toBe(`<${customerFirstId}>`);
    expect(header(raw, 'Subject')).toBe('Re: Order 1042');
    expect(header(raw, 'From')).toBe('Ada Admin at Acme <support@acme.test>');
    expect(header(raw, 'Reply-To')).toBe(`support+c${firstConv.replaceAll('-', '')}@acme.test`);
    expect(header(raw, 'Auto-Submitted')).toBeUndefined();
    expect(raw).toMatch(/Content-Type: text\/html/);
  });

  it('threads the customer’s answer by In-Reply-To, whatever its subject', async () => {
    await world.customerSends({
      subject: 'A different question',
      text: `Thanks! And the second parcel?\n\nOn Mon, 7 Dec 2026 at 10:00, Acme <support@acme.test> wrote:\n> It left the warehouse today.`,
      inReplyTo: `<${ourMessageId}>`,
      references: [`<${customerFirstId}>`, `<${ourMessageId}>`],
    });
    const msgs = await a.until(
      () => a.messages(firstConv),
      (m) => m.length === 3,
    );
    expect((await a.conversations()).length).toBe(2);
    const answer = msgs.at(-1)!;
    expect(answer.text).toBe('Thanks! And the second parcel?');
    expect((answer.meta as { email: { quoted: string } }).email.quoted).toMatch(
      /^On Mon.*wrote:\n> It left/s,
    );
  });

  it('threads a rewritten subject without headers by the plus address', async () => {
    await world.customerSends({
      to: `support+c${firstConv.replaceAll('-', '')}@acme.test`,
      subject: 'totally new words',
      text: 'One more thing about my order.',
    });
    await a.until(
      () => a.messages(firstConv),
      (m) => m.length === 4,
    );
    expect((await a.conversations()).length).toBe(2);
  });

  it('ignores auto-replies and list mail: no conversation, no automatic answer', async () => {
    const before = world.relay.received.length;
    await world.customerSends({
      subject: 'Out of office',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
    });
    await world.customerSends({
      subject: 'Newsletter',
      text: 'Deals!',
      headers: { 'List-Id': '<deals.customer.test>', Precedence: 'bulk' },
    });
    // A later person's mail is processed after both: when it is in, the two were seen and dropped.
    await world.customerSends({ subject: 'Real person', text: 'Hello again' });
    const convs = await a.until(a.conversations, (c) => c.length === 3);
    expect(convs.filter((c) => /away|Deals/.test(String(c.lastMessagePreview ?? '')))).toEqual([]);
    expect(await a.h.count('messages')).toBe(6);
    expect(world.relay.received.length - before).toBe(3);
  });

  it('marks an outbound mail failed when its bounce comes back, with the reason', async () => {
    // A customer whose mailbox does not exist on their server: the relay accepts, then bounces.
    await appendMail(
      world.dovecot.port,
      { imapUser: SUPPORT_LOGIN.user, imapPassword: SUPPORT_LOGIN.password },
      [
        'From: Gone Person <gone@customer.test>',
        `To: ${SUPPORT_ADDRESS}`,
        'Subject: Help',
        'Message-ID: <gone-1@customer.test>',
        `Date: ${new Date().toUTCString()}`,
        '',
        'Can you help?',
        '',
      ].join('\r\n'),
    );
    const convs = await a.until(a.conversations, (c) => c.length === 4);
    const conv = convs.find((c) => c.contact.name === 'Gone Person')!;
    await a.h.reply(conv.id, 'Sure, what is it?');
    await a.t.drainJobs();
    const failed = await a.until(
      async () => (await a.messages(conv.id)).find((m) => m.direction === 'out')!,
      (m) => m.deliveryStatus === 'failed',
    );
    expect(failed.error?.code).toBe('bounced');
    expect(failed.error?.message).toMatch(/550 5\.1\.1 .*User unknown/);
    // The bounce itself opened nothing.
    expect((await a.conversations()).length).toBe(4);
  });

  it('retries a 4xx answer with backoff and fails a 5xx with the server’s reason', async () => {
    world.relay.refusals.push({ code: 451, message: '4.7.1 Try again later (greylisted)' });
    await a.h.reply(firstConv, 'Also: here is your tracking number.');
    await a.t.drainJobs();
    const last = async () => (await a.messages(firstConv)).filter((m) => m.direction === 'out').at(-1)!;
    expect((await last()).deliveryStatus).toBe('queued');
    a.clock.advance(3_600_000);
    await a.t.drainJobs();
    expect((await last()).deliveryStatus).toBe('sent');

    world.relay.refusals.push({ code: 554, message: '5.7.1 Message rejected as spam' });
    await a.h.reply(firstConv, 'Buy now!!!');
    await a.t.drainJobs();
    const m = await last();
    expect(m.deliveryStatus).toBe('failed');
    expect(m.error).toMatchObject({ code: 'smtp_rejected' });
    expect(m.error?.message).toMatch(/554 5\.7\.1 Message rejected as spam/);
  });
});
