import type { AddressObject, ParsedMail } from 'mailparser';
import { lazyRequire } from '../../../lib/lazy-require.ts';
import type { AppContext } from '../../../app-context.ts';
import { bareId, idsIn } from './email-address.ts';
import { storeMailFile, mailKey } from './email-files.ts';
import { automaticMailReason, isDeliveryReport, readDsn } from './email-guard.ts';
import { htmlToText, sanitizeMailHtml } from './email-html.ts';
import type { EmailPayload, MailAddress } from './email-payload.ts';
import { splitQuoted } from './email-quote.ts';

const mailparser = lazyRequire<typeof import('mailparser')>('mailparser');

function addresses(a: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) =>
    o.value.flatMap((v) =>
      v.address ? [{ address: v.address.toLowerCase(), name: v.name?.trim() || null }] : [],
    ),
  );
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((l) => l.key === name);
  if (!line) return undefined;
  return line.line.slice(line.line.indexOf(':') + 1).trim();
}

/** Addresses in delivery headers (Delivered-To, X-Original-To; each may appear several times). */
function deliveryRecipients(mail: ParsedMail): string[] {
  return mail.headerLines
    .filter((l) => l.key === 'delivered-to' || l.key === 'x-original-to' || l.key === 'envelope-to')
    .flatMap((l) => l.line.slice(l.line.indexOf(':') + 1).split(','))
    .map((s) => s.trim().replace(/^<|>$/g, '').toLowerCase())
    .filter(Boolean);
}

export interface ParsedMime {
  key: string;
  build(ctx: AppContext, accountId: string): Promise<EmailPayload>;
}

/**
 * Parses a raw mail (RFC 5322 MIME) with mailparser. `key` identifies it before anything is stored (a
 * mail seen before is skipped); `build` writes its files (attachments, inline images, the original
 * MIME) into the file store and returns the payload.
 */
export async function parseMime(
  raw: Buffer,
  source: EmailPayload['source'],
  envelopeRecipients: string[] = [],
): Promise<ParsedMime> {
  const mail = await mailparser().simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const get = (name: string) => headerText(mail, name);
  const from = addresses(mail.from)[0] ?? null;
  const messageId = mail.messageId ? bareId(mail.messageId) : null;
  const key = mailKey(messageId, [
    mail.date?.toISOString(),
    from?.address,
    mail.subject,
    mail.text ?? (mail.html || null),
  ]);
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const report = isDeliveryReport(get('content-type'));
  const ignored = report ? 'delivery report' : automaticMailReason(get);

  return {
    key,
    async build(ctx, accountId) {
      let dsn: EmailPayload['dsn'] = null;
      if (report) {
        const part = (re: RegExp) =>
          mail.attachments.find((a) => re.test(a.contentType))?.content.toString('utf8') ?? null;
        // mailparser shows a message/delivery-status part as text: the fields are then in the text.
        dsn = readDsn(
          part(/^message\/(global-)?delivery-status$/i) ?? mail.text ?? null,
          part(/^(text\/rfc822-headers|message\/(global-)?rfc822(-headers)?)$/i),
        );
        // Some servers return no headers of the original: one of our Message-IDs anywhere in the report
        // still names it.
        dsn.originalMessageId ??=
          /<?(m[0-9a-f]{32}\.c[0-9a-f]{32}\.[0-9a-z]+@[A-Za-z0-9.-]+)>?/.exec(raw.toString('latin1'))?.[1] ??
          null;
      }
      const files = ignored
        ? []
        : await Promise.all(
            mail.attachments.map((a) =>
              storeMailFile(ctx, accountId, a.content, {
                name: a.filename ?? null,
                mimeType: a.contentType,
                cid: a.contentDisposition === 'inline' || a.related ? (a.cid ?? null) : null,
              }),
            ),
          );
      const original = ignored
        ? null
        : await storeMailFile(ctx, accountId, raw, {
            name: 'original.eml',
            mimeType: 'message/rfc822',
            exactType: true,
          });
      const html = typeof mail.html === 'string' ? mail.html : null;
      // mailparser leaves `text` empty for an HTML-only mail.
      const split = splitQuoted(mail.text ?? htmlToText(html) ?? '');
      return {
        v: 1,
        source,
        messageId: key,
        from,
        to,
        cc,
        recipients: [
          ...envelopeRecipients.map((r) => r.toLowerCase()),
          ...deliveryRecipients(mail),
          ...to.map((a) => a.address),
          ...cc.map((a) => a.address),
        ],
        subject: mail.subject ?? null,
        date: mail.date ? mail.date.getTime() : null,
        inReplyTo: idsIn(mail.inReplyTo),
        references: idsIn(mail.references),
        text: split.fresh || null,
        quoted: split.quoted,
        html: sanitizeMailHtml(html),
        attachments: files,
        original,
        ignored,
        dsn,
      };
    },
  };
}
