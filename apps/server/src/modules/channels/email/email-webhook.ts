import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, WebhookRequest } from '../channel-adapter.ts';
import { bareId, idsIn } from './email-address.ts';
import { mailKey, storeMailFile } from './email-files.ts';
import { automaticMailReason, isDeliveryReport } from './email-guard.ts';
import { htmlToText, sanitizeMailHtml } from './email-html.ts';
import type { EmailPayload, MailAddress } from './email-payload.ts';
import { splitQuoted } from './email-quote.ts';
import { type FormPart, parseMultipart } from './multipart-form.ts';

/** How old a Mailgun timestamp may be (either way, for clock skew). */
export const MAILGUN_MAX_AGE_MS = 5 * 60_000;

/** A verified inbound mail from a parse webhook: its key first, then its files stored and its payload built. */
export interface WebhookMail {
  key: string;
  /** Mailgun's one-time token (refused when seen before with another body). */
  replayToken: string | null;
  build(ctx: AppContext, accountId: string): Promise<EmailPayload>;
}

/** Mailgun's raw-MIME forward (a route URL ending in `mime`): the whole mail in `body-mime`. */
export interface WebhookMime {
  mime: Buffer;
  recipient: string | null;
  replayToken: string;
}

interface RawFile {
  bytes: Buffer;
  name: string | null;
  mimeType: string | null;
  cid: string | null;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const header = (req: WebhookRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `Name <addr>, other@x` into addresses (quoted names with commas kept together). */
export function parseAddressList(value: string | null | undefined): MailAddress[] {
  if (!value) return [];
  const out: MailAddress[] = [];
  for (const m of value.matchAll(
    /\s*(?:"((?:[^"\\]|\\.)*)"|([^,<"]*?))\s*<([^<>@\s]+@[^<>\s]+)>|([^\s,<>"]+@[^\s,<>"]+)/g,
  )) {
    const address = (m[3] ?? m[4])!.toLowerCase();
    const name = (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1').trim() || null;
    out.push({ address, name });
  }
  return out;
}

function payloadFrom(
  fields: {
    source: EmailPayload['source'];
    messageId: string;
    headers: Map<string, string>;
    from: MailAddress | null;
    to: MailAddress[];
    cc: MailAddress[];
    recipients: string[];
    subject: string | null;
    text: string | null;
    strippedText: string | null;
    html: string | null;
  },
  files: RawFile[],
): WebhookMail['build'] {
  const get = (n: string) => fields.headers.get(n);
  const report = isDeliveryReport(get('content-type'));
  const ignored = report ? 'delivery report' : automaticMailReason(get);
  return async (ctx, accountId) => {
    const stored = ignored
      ? []
      : await Promise.all(
          files.map((f) =>
            storeMailFile(ctx, accountId, f.bytes, { name: f.name, mimeType: f.mimeType, cid: f.cid }),
          ),
        );
    const split = splitQuoted(fields.text?.trim() ? fields.text : (htmlToText(fields.html) ?? ''));
    // The provider's own stripped reply when it gives one; our split otherwise.
    const fresh = fields.strippedText?.trim() || split.fresh;
    const quoted = fields.strippedText?.trim()
      ? (fields.text ?? '').replace(fields.strippedText, '').trim() || null
      : split.quoted;
    const date = get('date') ? Date.parse(get('date')!) : Number.NaN;
    return {
      v: 1,
      source: fields.source,
      messageId: fields.messageId,
      from: fields.from,
      to: fields.to,
      cc: fields.cc,
      recipients: fields.recipients.map((r) => r.toLowerCase()),
      subject: fields.subject,
      date: Number.isNaN(date) ? null : date,
      inReplyTo: idsIn(get('in-reply-to')),
      references: idsIn(get('references')),
      text: fresh || null,
      quoted,
      html: sanitizeMailHtml(fields.html),
      attachments: stored,
      original: null,
      ignored,
      // Parse webhooks do not pass the report's parts on: a bounce is recognised and ignored.
      dsn: null,
    };
  };
}

/**
 * Mailgun's route forward (parsed): form fields, multipart when the mail has files. Authentic when
 * `signature` = hex HMAC-SHA256(webhook signing key, timestamp + token); a timestamp older than
 * MAILGUN_MAX_AGE_MS is refused.
 */
export function mailgunMail(
  req: WebhookRequest,
  channel: ChannelRuntime,
  now: number,
): WebhookMail | WebhookMime {
  const type = header(req, 'content-type') ?? '';
  const parts: FormPart[] = /multipart\/form-data/i.test(type)
    ? parseMultipart(req.rawBody, type)
    : [...new URLSearchParams(req.rawBody.toString('utf8'))].map(([name, value]) => ({
        name,
        filename: null,
        contentType: null,
        data: Buffer.from(value),
      }));
  const field = (name: string) => {
    const p = parts.find((x) => x.name === name && x.filename === null);
    return p ? p.data.toString('utf8') : null;
  };
  const key = channel.credentials.mailgunSigningKey;
  const timestamp = field('timestamp') ?? '';
  const token = field('token') ?? '';
  const signature = field('signature') ?? '';
  const expected = key
    ? createHmac('sha256', key)
        .update(timestamp + token)
        .digest('hex')
    : '';
  if (!key || !signature || !sameSecret(signature, expected))
    throw new DomainError('invalid_signature', 'Missing or wrong Mailgun signature');
  const ts = Number(timestamp) * 1000;
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAILGUN_MAX_AGE_MS)
    throw new DomainError('invalid_signature', 'Stale Mailgun timestamp: the request is not fresh');

  const mime = parts.find((p) => p.name === 'body-mime');
  if (mime) return { mime: mime.data, recipient: field('recipient'), replayToken: token };

  let headerList: [string, string][] = [];
  try {
    const parsed = JSON.parse(field('message-headers') ?? '[]') as unknown;
    if (Array.isArray(parsed))
      headerList = parsed.filter((h): h is [string, string] => Array.isArray(h) && h.length === 2);
  } catch {
    throw new DomainError('validation_error', 'message-headers is not JSON');
  }
  const headers = new Map<string, string>();
  for (const [n, v] of headerList) if (!headers.has(n.toLowerCase())) headers.set(n.toLowerCase(), String(v));
  const rawId = field('Message-Id') ?? headers.get('message-id') ?? null;
  const from = parseAddressList(field('from') ?? headers.get('from'))[0] ?? null;
  const subject = field('subject') ?? headers.get('subject') ?? null;
  const text = field('body-plain');
  const messageId = mailKey(rawId ? bareId(rawId) : null, [timestamp, from?.address, subject, text]);
  const files = parts
    .filter((p) => p.filename !== null && /^attachment-\d+$/.test(p.name))
    .map((p) => ({ bytes: p.data, name: p.filename, mimeType: p.contentType, cid: null }));
  const recipients = [
    field('recipient'),
    ...headerList.filter(([n]) => /^(delivered-to|x-original-to)$/i.test(n)).map(([, v]) => v),
  ]
    .flatMap((r) => (r ? r.split(',') : []))
    .map((r) => r.trim());
  const to = parseAddressList(headers.get('to') ?? field('To'));
  const cc = parseAddressList(headers.get('cc') ?? field('Cc'));
  return {
    key: messageId,
    replayToken: token,
    build: payloadFrom(
      {
        source: 'mailgun',
        messageId,
        headers,
        from,
        to,
        cc,
        recipients: [...recipients, ...to.map((a) => a.address), ...cc.map((a) => a.address)],
        subject,
        text,
        strippedText: field('stripped-text'),
        html: field('body-html'),
      },
      files,
    ),
  };
}

interface PostmarkAddress {
  Email?: string;
  Name?: string;
  MailboxHash?: string;
}

interface PostmarkInbound {
  FromFull?: PostmarkAddress;
  From?: string;
  ToFull?: PostmarkAddress[];
  CcFull?: PostmarkAddress[];
  OriginalRecipient?: string;
  Subject?: string;
  MessageID?: string;
  TextBody?: string;
  HtmlBody?: string;
  StrippedTextReply?: string;
  Headers?: { Name?: string; Value?: string }[];
  Attachments?: { Name?: string; Content?: string; ContentType?: string; ContentID?: string }[];
}

/** Postmark's inbound webhook: JSON, authenticated by the basic-auth credentials in the webhook URL. */
export function postmarkMail(req: WebhookRequest, channel: ChannelRuntime): WebhookMail {
  const user = channel.settings.postmarkUser;
  const password = channel.credentials.postmarkPassword;
  const auth = header(req, 'authorization') ?? '';
  const expected = `Basic ${Buffer.from(`${String(user)}:${password}`).toString('base64')}`;
  if (typeof user !== 'string' || !password || !sameSecret(auth, expected))
    throw new DomainError('invalid_signature', 'Missing or wrong basic-auth credentials');
  let body: PostmarkInbound;
  try {
    body = JSON.parse(req.rawBody.toString('utf8')) as PostmarkInbound;
  } catch {
    throw new DomainError('invalid_json', 'The body is not JSON');
  }
  if (!body || typeof body !== 'object')
    throw new DomainError('validation_error', 'Expected a Postmark inbound message');
  const headers = new Map<string, string>();
  for (const h of body.Headers ?? [])
    if (h?.Name && typeof h.Value === 'string' && !headers.has(h.Name.toLowerCase()))
      headers.set(h.Name.toLowerCase(), h.Value);
  const addr = (a: PostmarkAddress | undefined): MailAddress | null =>
    a?.Email ? { address: a.Email.toLowerCase(), name: a.Name?.trim() || null } : null;
  const from = addr(body.FromFull) ?? parseAddressList(body.From)[0] ?? null;
  const to = (body.ToFull ?? []).map(addr).filter((a): a is MailAddress => a !== null);
  const cc = (body.CcFull ?? []).map(addr).filter((a): a is MailAddress => a !== null);
  const rawId = headers.get('message-id');
  const messageId = rawId ? bareId(rawId) : mailKey(null, [body.MessageID ?? null]);
  const files = (body.Attachments ?? []).flatMap((a) =>
    typeof a?.Content === 'string'
      ? [
          {
            bytes: Buffer.from(a.Content, 'base64'),
            name: a.Name ?? null,
            mimeType: a.ContentType ?? null,
            cid: a.ContentID ? a.ContentID.replace(/^cid:/, '') : null,
          },
        ]
      : [],
  );
  const recipients = [
    body.OriginalRecipient,
    headers.get('delivered-to'),
    headers.get('x-original-to'),
  ].filter((r): r is string => typeof r === 'string');
  return {
    key: messageId,
    replayToken: null,
    build: payloadFrom(
      {
        source: 'postmark',
        messageId,
        headers,
        from,
        to,
        cc,
        recipients: [...recipients, ...to.map((a) => a.address), ...cc.map((a) => a.address)],
        subject: body.Subject ?? null,
        text: body.TextBody ?? null,
        strippedText: body.StrippedTextReply ?? null,
        html: body.HtmlBody ?? null,
      },
      files,
    ),
  };
}
