import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INBOX_TIMING,
  type MailApp,
  MailWorld,
  SUPPORT_ADDRESS,
  SUPPORT_LOGIN,
  mailApp,
} from '../../../../test/mail-harness.ts';
import { appendMail } from '../../../../test/smtp-relay.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { ImapInbox } from './imap-inbox.ts';

const dialects = await testDialects();
const FOLDER = 'Help';
const box = { imapUser: SUPPORT_LOGIN.user, imapPassword: SUPPORT_LOGIN.password, folder: FOLDER };

const mail = (id: string, from: string, subject: string) =>
  [
    `From: ${from}`,
    `To: ${SUPPORT_ADDRESS}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    'Date: Mon, 07 Dec 2026 09:00:00 +0000',
    '',
    `About ${subject}.`,
    '',
  ].join('\r\n');

async function admin(port: number, run: (c: ImapFlow) => Promise<void>): Promise<void> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: SUPPORT_LOGIN.user, pass: SUPPORT_LOGIN.password },
    logger: false,
  });
  await c.connect();
  try {
    await run(c);
  } finally {
    await c.logout();
  }
}

/**
 * The mailbox side against Dovecot: a folder recreated under a new UIDVALIDITY is read again without
 * duplicating what was already taken in, and a node that dies holding a mailbox's lease is replaced.
 */
describe.each(dialects)('E-mail IMAP mailbox and lease (%s)', (dialect) => {
  const world = new MailWorld();
  let a: MailApp;
  const state = () =>
    a.t.ctx.db.kysely
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('channel_id', '=', a.channelId)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    await world.start();
    await admin(world.dovecot.port, (c) => c.mailboxCreate(FOLDER).then(() => {}));
    a = await mailApp(dialect, world, FOLDER);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await world.stop();
  });

  it('reads the folder again after a UIDVALIDITY change, without duplicates', async () => {
    await appendMail(world.dovecot.port, box, mail('h1@customer.test', 'Ann <ann@customer.test>', 'Refund'));
    await appendMail(world.dovecot.port, box, mail('h2@customer.test', 'Bob <bob@customer.test>', 'Login'));
    await a.until(a.conversations, (c) => c.length === 2);
    const before = await a.until(state, (s) => Number(s.last_uid) === 2);

    // The folder is deleted and made again (a server migration, a restore): every UID changes meaning.
    await new Promise((r) => setTimeout(r, 1100));
    await admin(world.dovecot.port, async (c) => {
      await c.mailboxDelete(FOLDER);
      await c.mailboxCreate(FOLDER);
    });
    await appendMail(world.dovecot.port, box, mail('h2@customer.test', 'Bob <bob@customer.test>', 'Login'));
    await appendMail(world.dovecot.port, box, mail('h1@customer.test', 'Ann <ann@customer.test>', 'Refund'));
    await appendMail(world.dovecot.port, box, mail('h3@customer.test', 'Cid <cid@customer.test>', 'Invoice'));

    await a.until(a.conversations, (c) => c.length === 3);
    const after = await a.until(
      state,
      (s) => s.uid_validity !== before.uid_validity && Number(s.last_uid) === 3,
    );
    expect(after.uid_validity).not.toBe(before.uid_validity);
    expect(await a.h.count('messages')).toBe(3);
    expect(await a.h.count('inbound_events')).toBe(3);
  });

  it('has one reader per mailbox; another node takes over when the holder dies', async () => {
    const second = new ImapInbox(a.t.ctx, INBOX_TIMING).start();
    try {
      await second.tick();
      expect(a.inbox.held()).toEqual([a.channelId]);
      expect(second.held()).toEqual([]);

      // The holder dies: its connection drops, its lease stays until it runs out.
      await a.inbox.abandon();
      await appendMail(world.dovecot.port, box, mail('h4@customer.test', 'Dee <dee@customer.test>', 'Late'));
      await new Promise((r) => setTimeout(r, 1500));
      await second.tick();
      expect(second.held(), 'not while the lease runs').toEqual([]);
      await a.t.drainJobs();
      expect((await a.conversations()).length).toBe(3);

      a.clock.advance(INBOX_TIMING.leaseMs + 1);
      await a.until(a.conversations, (c) => c.length === 4);
      expect(second.held()).toEqual([a.channelId]);
      expect((await state()).holder).toBe(second.holder);
    } finally {
      await second.stop();
    }
  });
});
