import { ImapFlow } from 'imapflow';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface RelayMailbox {
  /** Addresses delivered here (a plus address `support+x@` goes to `support@`). */
  address: string;
  imapUser: string;
  imapPassword: string;
  folder?: string;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A scripted SMTP answer for the next message(s): `code` and text, as a real server words them. */
export interface SmtpRefusal {
  code: number;
  message: string;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free local port that delivers what it accepts
 * into Dovecot over IMAP APPEND, adding `Delivered-To` as a local delivery agent does. Mail to an
 * unknown local address is accepted and then bounced: a delivery status notification (RFC 3464) goes
 * back to the sender's mailbox, as an MTA that accepted first must do. Refusals can be scripted (4xx,
 * 5xx) to test how the sender reacts.
 */
export class SmtpRelay {
  private server: SMTPServer;
  readonly received: ReceivedMail[] = [];
  readonly refusals: SmtpRefusal[] = [];
  port = 0;

  constructor(
    private readonly imapPort: number,
    private readonly mailboxes: RelayMailbox[],
    auth?: { user: string; password: string },
  ) {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      logger: false,
      size: 40 * 1024 * 1024,
      onAuth: (a, _session, cb) => {
        if (auth && a.username === auth.user && a.password === auth.password) cb(null, { user: a.username });
        else cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const refusal = this.refusals.shift();
          if (refusal) {
            cb(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            return;
          }
          const from = (session.envelope.mailFrom as SMTPServerAddress | false) || null;
          const mail: ReceivedMail = {
            from: from ? from.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          };
          this.received.push(mail);
          this.deliver(mail).then(
            () => cb(null),
            (err: Error) =>
              cb(Object.assign(new Error(`4.3.0 delivery failed: ${err.message}`), { responseCode: 451 })),
          );
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private box(address: string): RelayMailbox | undefined {
    const [local, domain] = address.toLowerCase().split('@');
    const base = `${local!.split('+')[0]}@${domain}`;
    return this.mailboxes.find((m) => m.address === base);
  }

  private async deliver(mail: ReceivedMail): Promise<void> {
    for (const rcpt of mail.to) {
      const box = this.box(rcpt);
      if (box)
        await appendMail(
          this.imapPort,
          box,
          Buffer.concat([Buffer.from(`Delivered-To: ${rcpt}\r\n`), mail.raw]),
        );
      else if (mail.from) {
        const sender = this.box(mail.from);
        if (sender) await appendMail(this.imapPort, sender, bounceFor(mail, rcpt));
      }
    }
  }
}

/** Appends a raw mail into a Dovecot mailbox (what a local delivery agent does). */
export async function appendMail(
  imapPort: number,
  box: Omit<RelayMailbox, 'address'>,
  raw: Buffer | string,
): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: imapPort,
    secure: false,
    auth: { user: box.imapUser, pass: box.imapPassword },
    logger: false,
  });
  await client.connect();
  try {
    const folder = box.folder ?? 'INBOX';
    if (folder !== 'INBOX') await client.mailboxCreate(folder).catch(() => {});
    await client.append(folder, raw);
  } finally {
    await client.logout();
  }
}

/** An RFC 3464 non-delivery report for one recipient, returning the original's headers. */
export function bounceFor(mail: ReceivedMail, rcpt: string): Buffer {
  const headers = mail.raw.toString('utf8').split(/\r?\n\r?\n/)[0];
  const boundary = `bnd-${Math.random().toString(36).slice(2)}`;
  const lines = [
    'From: Mail Delivery System <MAILER-DAEMON@relay.test>',
    `To: ${mail.from}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <bounce-${Date.now()}-${Math.random().toString(36).slice(2)}@relay.test>`,
    `Date: ${new Date().toUTCString()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is the mail system at host relay.test. Your message could not be delivered to ${rcpt}.`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.test',
    '',
    `Final-Recipient: rfc822; ${rcpt}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headers,
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
