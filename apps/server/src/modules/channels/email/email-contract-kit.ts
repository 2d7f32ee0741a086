import { createHmac, randomBytes } from 'node:crypto';
import type { AdapterFixtureKit, ContentFixture, InboundCall, KitChannel } from '../adapter-contract.ts';

export const SUPPORT = 'support@acme.test';
export const CUSTOMER = 'Carol Customer <carol@customer.test>';
export const MAILGUN_KEY = 'key-contract-mailgun-signing-0123456789';
export const POSTMARK_USER = 'postmark';
export const POSTMARK_PASSWORD = 'postmark-contract-password';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

export interface MailFields {
  messageId: string;
  subject: string;
  text: string;
  html?: string;
  from?: string;
  recipient?: string;
  inReplyTo?: string;
  extraHeaders?: [string, string][];
  attachment?: { name: string; type: string; bytes: Buffer };
}

export function mailgunSignature(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

/**
 * A Mailgun route forward as Mailgun posts it: form-urlencoded, multipart/form-data when the mail has
 * files (`attachment-1`…), signed over timestamp + token with the webhook signing key.
 */
export function mailgunCall(
  k: KitChannel,
  m: MailFields,
  opts: { key?: string; timestamp?: number; token?: string } = {},
): InboundCall {
  const timestamp = String(Math.floor((opts.timestamp ?? k.now()) / 1000));
  const token = opts.token ?? randomBytes(25).toString('hex');
  const headers: [string, string][] = [
    ['Received', 'from mail.customer.test by mxa.mailgun.org with ESMTP'],
    ['Message-Id', `<${m.messageId}>`],
    ['From', m.from ?? CUSTOMER],
    ['To', m.recipient ?? SUPPORT],
    ['Subject', m.subject],
    ['Date', new Date(k.now()).toUTCString()],
    ['Mime-Version', '1.0'],
    ...(m.inReplyTo
      ? ([
          ['In-Reply-To', `<${m.inReplyTo}>`],
          ['References', `<${m.inReplyTo}>`],
        ] as [string, string][])
      : []),
    ...(m.extraHeaders ?? []),
  ];
  const fields: [string, string][] = [
    ['recipient', m.recipient ?? SUPPORT],
    ['sender', 'carol@customer.test'],
    ['from', m.from ?? CUSTOMER],
    ['subject', m.subject],
    ['body-plain', m.text],
    ['stripped-text', m.text.split(/\n\nOn .* wrote:/)[0]!],
    ...(m.html ? ([['body-html', m.html]] as [string, string][]) : []),
    ['Message-Id', `<${m.messageId}>`],
    ['message-headers', JSON.stringify(headers)],
    ['timestamp', timestamp],
    ['token', token],
    ['signature', mailgunSignature(opts.key ?? MAILGUN_KEY, timestamp, token)],
  ];
  if (!m.attachment)
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    };
  const boundary = `----mailgun${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = fields.map(([n, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`),
  );
  fields.push(['attachment-count', '1']);
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment-count"\r\n\r\n1\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="attachment-1"; filename="${m.attachment.name}"\r\nContent-Type: ${m.attachment.type}\r\n\r\n`,
    ),
    m.attachment.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(parts),
  };
}

/** Postmark's inbound webhook JSON, with basic auth as Postmark sends the credentials from the URL. */
export function postmarkCall(k: KitChannel, m: MailFields, password = POSTMARK_PASSWORD): InboundCall {
  const [, name, email] = /^(.*) <(.*)>$/.exec(m.from ?? CUSTOMER)!;
  const recipient = m.recipient ?? SUPPORT;
  const hash = /\+([^@]+)@/.exec(recipient)?.[1] ?? '';
  const body = {
    FromName: name,
    MessageStream: 'inbound',
    From: email,
    FromFull: { Email: email, Name: name, MailboxHash: '' },
    To: recipient,
    ToFull: [{ Email: recipient, Name: '', MailboxHash: hash }],
    Cc: '',
    CcFull: [],
    Bcc: '',
    BccFull: [],
    OriginalRecipient: recipient,
    Subject: m.subject,
    MessageID: randomBytes(16)
      .toString('hex')
      .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'),
    ReplyTo: '',
    MailboxHash: hash,
    Date: new Date(k.now()).toUTCString(),
    TextBody: m.text,
    HtmlBody: m.html ?? '',
    StrippedTextReply: m.text.split(/\n\nOn .* wrote:/)[0],
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Message-ID', Value: `<${m.messageId}>` },
      ...(m.inReplyTo
        ? [
            { Name: 'In-Reply-To', Value: `<${m.inReplyTo}>` },
            { Name: 'References', Value: `<${m.inReplyTo}>` },
          ]
        : []),
      ...(m.extraHeaders ?? []).map(([Name, Value]) => ({ Name, Value })),
    ],
    Attachments: m.attachment
      ? [
          {
            Name: m.attachment.name,
            Content: m.attachment.bytes.toString('base64'),
            ContentType: m.attachment.type,
            ContentLength: m.attachment.bytes.length,
          },
        ]
      : [],
  };
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${POSTMARK_USER}:${password}`).toString('base64')}`,
    },
    body: JSON.stringify(body),
  };
}

/** A mail as MIME with one PDF attached (what Mailgun's raw-MIME forward carries in `body-mime`). */
export function mimeWithPdf(n: number, now: number): string {
  return [
    `From: ${CUSTOMER}`,
    `To: ${SUPPORT}`,
    'Subject: Invoice',
    `Message-ID: <mime${n}@customer.test>`,
    `Date: ${new Date(now).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The invoice, attached.',
    '--b1',
    'Content-Type: application/pdf; name="invoice.pdf"',
    'Content-Disposition: attachment; filename="invoice.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

/** Mailgun's raw-MIME route forward (the route URL ends in `mime`): the whole mail in `body-mime`, signed. */
export function mailgunMimeCall(k: KitChannel, mime: string): InboundCall {
  const timestamp = String(Math.floor(k.now() / 1000));
  const token = randomBytes(25).toString('hex');
  const fields: [string, string][] = [
    ['recipient', SUPPORT],
    ['sender', 'carol@customer.test'],
    ['from', CUSTOMER],
    ['subject', 'Invoice'],
    ['body-mime', mime],
    ['timestamp', timestamp],
    ['token', token],
    ['signature', mailgunSignature(MAILGUN_KEY, timestamp, token)],
  ];
  const boundary = `----mailgun${randomBytes(8).toString('hex')}`;
  const body = `${fields
    .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
    .join('')}--${boundary}--\r\n`;
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
}

/**
 * The e-mail adapter's contract kit for one inbound provider: the same text and image mails, posted the
 * provider's way (`call`), plus what only that provider delivers (`more`).
 */
export function emailContractKit(p: {
  smtpPort: number;
  inbound: Record<string, unknown>;
  call(k: KitChannel, m: MailFields): InboundCall;
  more?: ContentFixture[];
  forged: AdapterFixtureKit['forged'];
}): AdapterFixtureKit {
  return {
    type: 'email',
    provider: null,
    settings: () => ({
      address: SUPPORT,
      smtp: { host: '127.0.0.1', port: p.smtpPort, secure: false },
      ...p.inbound,
    }),
    content: [
      {
        contentKind: 'text',
        text: 'Where is my order?',
        build: (k, n) =>
          p.call(k, { messageId: `m${n}@customer.test`, subject: 'Order 1042', text: 'Where is my order?' }),
      },
      {
        contentKind: 'image',
        text: 'the box',
        attachments: 1,
        build: (k, n) =>
          p.call(k, {
            messageId: `m${n}@customer.test`,
            subject: 'Broken box',
            text: 'the box',
            attachment: { name: 'box.png', type: 'image/png', bytes: PNG },
          }),
      },
      ...(p.more ?? []),
    ],
    forged: p.forged,
    tampered: null,
    receipts: null,
    errors: null,
  };
}
