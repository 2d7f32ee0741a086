import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { expect } from 'vitest';
import { ManualClock } from '../src/infra/clock.ts';
import { ImapInbox } from '../src/modules/channels/email/imap-inbox.ts';
import type { DialectName } from '../src/infra/db/database.ts';
import { type ChannelKit, type ConversationItem, type MessageItem, channelKit } from './channel-kit.ts';
import { DovecotServer } from './dovecot-server.ts';
import { SmtpRelay } from './smtp-relay.ts';
import { type TestApp, createTestApp } from './test-app.ts';

export const SUPPORT_ADDRESS = 'support@acme.test';
export const CUSTOMER_ADDRESS = 'carol@customer.test';
export const SUPPORT_LOGIN = { user: 'support', password: 'support-imap-pw' };
export const CUSTOMER_LOGIN = { user: 'carol', password: 'carol-imap-pw' };
export const SMTP_LOGIN = { user: 'relay-user', password: 'relay-smtp-pw' };

/** Dovecot (the mailboxes) and an SMTP server delivering into it: the mail world of one test file. */
export class MailWorld {
  dovecot = new DovecotServer([SUPPORT_LOGIN, CUSTOMER_LOGIN]);
  relay!: SmtpRelay;

  async start(): Promise<this> {
    await this.dovecot.start();
    this.relay = await new SmtpRelay(
      this.dovecot.port,
      [
        { address: SUPPORT_ADDRESS, imapUser: SUPPORT_LOGIN.user, imapPassword: SUPPORT_LOGIN.password },
        { address: CUSTOMER_ADDRESS, imapUser: CUSTOMER_LOGIN.user, imapPassword: CUSTOMER_LOGIN.password },
      ],
      SMTP_LOGIN,
    ).start();
    return this;
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    await this.dovecot.stop();
  }

  /** The channel's settings: IMAP on Dovecot, SMTP through the relay with its login. */
  settings(mailbox?: string, address = SUPPORT_ADDRESS): Record<string, unknown> {
    return {
      address,
      fromName: '{operator} at Acme',
      smtp: { host: '127.0.0.1', port: this.relay.port, secure: false, ...SMTP_LOGIN },
      inbound: 'imap',
      imap: {
        host: '127.0.0.1',
        port: this.dovecot.port,
        secure: false,
        user: SUPPORT_LOGIN.user,
        password: SUPPORT_LOGIN.password,
        ...(mailbox ? { mailbox } : {}),
      },
    };
  }

  /** The customer's mail program: sends through the SMTP server like any client. */
  async customerSends(mail: Mail.Options): Promise<string> {
    const t = nodemailer.createTransport({
      host: '127.0.0.1',
      port: this.relay.port,
      secure: false,
      auth: { user: SMTP_LOGIN.user, pass: SMTP_LOGIN.password },
    });
    const info = await t.sendMail({
      from: `Carol Customer <${CUSTOMER_ADDRESS}>`,
      to: SUPPORT_ADDRESS,
      ...mail,
    });
    t.close();
    return info.messageId.replace(/^<|>$/g, '');
  }
}

/** A Switchboard app with one e-mail channel and an IMAP inbox reading it. */
export interface MailApp {
  t: TestApp;
  h: ChannelKit;
  clock: ManualClock;
  channelId: string;
  inbox: ImapInbox;
  /** Runs jobs until `check` holds (mail arrives over IDLE in its own time). */
  until<T>(read: () => Promise<T>, check: (v: T) => boolean, timeout?: number): Promise<T>;
  conversations(): Promise<ConversationItem[]>;
  messages(convId: string): Promise<MessageItem[]>;
  close(): Promise<void>;
}

export const INBOX_TIMING = { leaseMs: 30_000, tickMs: 300, pollMs: 500 };

export async function mailApp(dialect: DialectName, world: MailWorld, mailbox?: string): Promise<MailApp> {
  const clock = new ManualClock(Date.now());
  const t = await createTestApp(dialect, { clock });
  const h = channelKit(t);
  const res = await h.as(t.admin, 'POST', '/api/v1/channels', {
    type: 'email',
    name: 'Support mail',
    settings: world.settings(mailbox),
  });
  expect(res.statusCode, res.body).toBe(201);
  const inbox = new ImapInbox(t.ctx, INBOX_TIMING).start();
  const app: MailApp = {
    t,
    h,
    clock,
    channelId: res.json().id,
    inbox,
    async until(read, check, timeout = 20_000) {
      let last: Awaited<ReturnType<typeof read>> | undefined;
      await expect
        .poll(
          async () => {
            await t.drainJobs();
            last = await read();
            return check(last);
          },
          { timeout, interval: 200 },
        )
        .toBe(true);
      return last!;
    },
    conversations: () => h.conversations(),
    messages: async (id) => (await h.messagesOf(id)).sort((a, b) => String(a.id).localeCompare(String(b.id))),
    async close() {
      await inbox.stop();
      await t.close();
    },
  };
  return app;
}
