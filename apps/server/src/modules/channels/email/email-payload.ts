import type { ContentKind } from '@switchboard/shared';
import type { ChannelRuntime, InboundAttachment, InboundEvent } from '../channel-adapter.ts';
import { conversationIdOfToken, tokenInAddress, tokenInMessageId } from './email-address.ts';
import { DEFAULT_SUBJECT_THREAD_DAYS, emailSettingsOf } from './email-settings.ts';

export interface MailAddress {
  address: string;
  name: string | null;
}

export interface StoredMailFile {
  storageKey: string;
  sha256: string;
  size: number;
  name: string | null;
  mimeType: string;
  /** Content-ID of an inline image, without brackets (`cid:` references in the HTML). */
  cid: string | null;
}

/** A delivery status notification (RFC 3464) about one of our mails. */
export interface DsnReport {
  originalMessageId: string | null;
  recipient: string | null;
  status: string | null;
  reason: string;
}

/**
 * One received mail, the same whichever way it came (IMAP, Mailgun, Postmark): what the inbound event
 * store keeps. Files are already in Switchboard's file store (written by the ingestion, keys of our own).
 */
export interface EmailPayload {
  v: 1;
  source: 'imap' | 'mailgun' | 'postmark';
  /** Message-ID without brackets; a content hash `<sha>@hash.invalid` when the mail had none. */
  messageId: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  /** Where the mail was delivered (envelope recipient, Delivered-To, X-Original-To, To, Cc). */
  recipients: string[];
  subject: string | null;
  date: number | null;
  inReplyTo: string[];
  references: string[];
  /** The new part of the mail (what the customer wrote now). */
  text: string | null;
  /** Quoted history below it, kept for the collapsible view. */
  quoted: string | null;
  /** HTML sanitised for display (never scripts, handlers or remote loads). */
  html: string | null;
  attachments: StoredMailFile[];
  /** The original MIME, when the mail came as MIME (IMAP). */
  original: StoredMailFile | null;
  /** Why no conversation is made for it (an auto-reply, a list, a bounce), or null. */
  ignored: string | null;
  dsn: DsnReport | null;
}

function kindOf(mime: string): ContentKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}

const asAttachment = (f: StoredMailFile): InboundAttachment => ({
  kind: kindOf(f.mimeType),
  storageKey: f.storageKey,
  sha256: f.sha256,
  name: f.name ?? undefined,
  mimeType: f.mimeType,
  size: f.size,
});

/** Ids a reply may name (In-Reply-To first) and the conversation tokens it carries. */
export function threadHint(p: EmailPayload, channel: ChannelRuntime) {
  const s = emailSettingsOf(channel.settings);
  const referenced = [...p.inReplyTo, ...[...p.references].reverse()];
  const tokens = [
    ...p.recipients.map((r) => tokenInAddress(s.address, r)),
    ...referenced.map((id) => tokenInMessageId(id)),
  ].filter((t): t is string => t !== null);
  return {
    messageIds: [...new Set(referenced)].slice(0, 100),
    conversationIds: [...new Set(tokens.map((t) => conversationIdOfToken(t)!))],
    subject: p.subject,
    subjectDays: s.subjectThreadDays ?? DEFAULT_SUBJECT_THREAD_DAYS,
  };
}

/** The stored payload as Switchboard's normalised events. */
export function emailEvents(p: EmailPayload, channel: ChannelRuntime): InboundEvent[] {
  if (p.dsn) {
    if (!p.dsn.originalMessageId) return [];
    return [
      {
        kind: 'status',
        providerMessageId: p.dsn.originalMessageId,
        status: 'failed',
        errorCode: 'bounced',
        errorMessage: p.dsn.reason,
      },
    ];
  }
  if (p.ignored || !p.from) return [];
  const files = p.attachments.map(asAttachment);
  const attachments = p.original
    ? [...files, { ...asAttachment(p.original), kind: 'document' as const }]
    : files;
  // Like a captioned photo on other channels: the first file gives the kind, the text rides along.
  const contentKind: ContentKind = files[0]?.kind ?? 'text';
  return [
    {
      kind: 'message',
      providerMessageId: p.messageId,
      contact: { externalId: p.from.address, name: p.from.name, email: p.from.address },
      contentKind,
      text: p.text?.trim() ? p.text.trim() : null,
      attachments,
      providerTs: null,
      thread: threadHint(p, channel),
      meta: {
        email: {
          subject: p.subject,
          from: p.from,
          to: p.to,
          cc: p.cc,
          date: p.date,
          messageId: p.messageId,
          inReplyTo: p.inReplyTo,
          references: p.references.slice(-50),
          quoted: p.quoted,
          html: p.html,
          inline: p.attachments.flatMap((a, i) => (a.cid ? [{ cid: a.cid, index: i }] : [])),
          original: p.original ? { index: files.length } : null,
        },
      },
    },
  ];
}
