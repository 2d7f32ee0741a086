import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { ChatLine } from './whatsapp-sandbox.ts';

export const DEMO_SUPPORT_ADDRESS = 'support@demo-shop.test';
export const DEMO_EMAIL_CUSTOMER = { name: 'Demo Customer', address: 'customer@mail.test' };

interface StoredMail {
  id: string;
  from: 'customer' | 'business';
  subject: string;
  text: string;
  at: number;
  /** The business's Reply-To (the conversation's plus address): where the customer's answer goes. */
  replyTo: string | null;
}

/**
 * A small mail provider for the demo, in the spirit of Mailgun: one SMTP server (the `smtp-server`
 * package) that takes the business's outgoing mail (into the customer's mailbox, shown on the phone
 * page) and the customer's mail to the business's domain, which it forwards to Switchboard as a
 * Mailgun inbound route does: the parsed mail as form fields, signed with the webhook signing key.
 * The e-mail channel's tests use a real Dovecot instead; the demo needs nothing installed.
 */
export class EmailSandbox {
  private server: SMTPServer;
  readonly signingKey = `key-${randomBytes(16).toString('hex')}`;
  readonly mailbox: StoredMail[] = [];
  /** Every mail the SMTP server took, with its envelope recipients. */
  readonly received: { rcpts: string[]; raw: Buffer }[] = [];
  /** Where mail for the business's domain is forwarded (the channel's webhook URL). */
  routeUrl: string | null = null;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          this.accept(Buffer.concat(chunks), rcpts).then(
            () => cb(null),
            (err: Error) => cb(Object.assign(new Error(`4.3.0 ${err.message}`), { responseCode: 451 })),
          );
        });
      },
    });
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, host, () => r()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async accept(raw: Buffer, rcpts: string[]): Promise<void> {
    this.received.push({ rcpts, raw });
    const domain = DEMO_SUPPORT_ADDRESS.split('@')[1]!;
    for (const rcpt of rcpts) {
      if (rcpt === DEMO_EMAIL_CUSTOMER.address) await this.deliverToCustomer(raw);
      else if (rcpt.endsWith(`@${domain}`)) await this.forward(raw, rcpt);
    }
  }

  private async deliverToCustomer(raw: Buffer): Promise<void> {
    const m = await simpleParser(raw);
    this.mailbox.push({
      id: m.messageId ?? randomBytes(8).toString('hex'),
      from: 'business',
      subject: m.subject ?? '',
      text: (m.text ?? '').trim(),
      at: Date.now(),
      replyTo: m.replyTo?.value[0]?.address ?? null,
    });
  }

  /** Mailgun's route forward: the parsed mail as form fields, signed over timestamp + token. */
  private async forward(raw: Buffer, recipient: string): Promise<void> {
    if (!this.routeUrl) throw new Error('no route for the business domain yet');
    const m = await simpleParser(raw);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = randomBytes(25).toString('hex');
    const headers = m.headerLines.map((h) => [
      h.line.slice(0, h.line.indexOf(':')),
      h.line.slice(h.line.indexOf(':') + 1).trim(),
    ]);
    const fields = new URLSearchParams({
      recipient,
      sender: m.from?.value[0]?.address ?? '',
      from: m.from?.text ?? '',
      subject: m.subject ?? '',
      'body-plain': m.text ?? '',
      ...(typeof m.html === 'string' ? { 'body-html': m.html } : {}),
      'Message-Id': m.messageId ?? '',
      'message-headers': JSON.stringify(headers),
      timestamp,
      token,
      signature: createHmac('sha256', this.signingKey)
        .update(timestamp + token)
        .digest('hex'),
    });
    const res = await fetch(this.routeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    if (!res.ok) throw new Error(`the route answered ${res.status}`);
  }

  /** The customer writes (or answers the business's last mail, threaded by its headers). */
  async customerWrites(text: string): Promise<void> {
    const last = [...this.mailbox].reverse().find((m) => m.from === 'business');
    const subject = last
      ? /^re:/i.test(last.subject)
        ? last.subject
        : `Re: ${last.subject}`
      : 'Question about my order';
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      ignoreTLS: true,
    });
    const info = await transport.sendMail({
      from: DEMO_EMAIL_CUSTOMER,
      to: last?.replyTo ?? DEMO_SUPPORT_ADDRESS,
      subject,
      text,
      ...(last ? { inReplyTo: last.id, references: [last.id] } : {}),
    });
    transport.close();
    this.mailbox.push({ id: info.messageId, from: 'customer', subject, text, at: Date.now(), replyTo: null });
  }

  /** The customer's mailbox as phone-page lines: subject above the text. */
  lines(): ChatLine[] {
    return this.mailbox.map((m) => ({
      id: m.id,
      from: m.from,
      text: `${m.subject}\n\n${m.text}`,
      at: m.at,
      ...(m.from === 'business' ? { status: 'delivered' } : {}),
    }));
  }
}
