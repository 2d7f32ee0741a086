import type { DsnReport } from './email-payload.ts';
import { bareId } from './email-address.ts';

/** Header lookup by lower-case name (first value). */
export type HeaderGet = (name: string) => string | undefined;

/**
 * Why a mail must not open a conversation or get an automatic answer (RFC 3834 and common practice), or
 * null for a person's mail: auto-replies, bulk and list mail, and mail with an empty Return-Path (bounces
 * and other machine mail). Delivery reports are recognised separately (`isDeliveryReport`).
 */
export function automaticMailReason(h: HeaderGet): string | null {
  const auto = h('auto-submitted')?.trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return `Auto-Submitted: ${auto}`;
  const precedence = h('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `Precedence: ${precedence}`;
  if (h('x-autoreply') !== undefined) return 'X-Autoreply';
  if (h('x-autorespond') !== undefined) return 'X-Autorespond';
  if (h('list-id') !== undefined) return 'List-Id (mailing list)';
  const returnPath = h('return-path');
  if (returnPath !== undefined && /^\s*<\s*>\s*$/.test(returnPath)) return 'empty Return-Path';
  return null;
}

export function isDeliveryReport(contentType: string | undefined): boolean {
  return (
    !!contentType &&
    /multipart\/report/i.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/i.test(contentType)
  );
}

/** `Name: value` fields of a header block (continuation lines unfolded), lower-case names. */
export function headerFields(block: string): Map<string, string> {
  const out = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (m && !out.has(m[1]!.toLowerCase())) out.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return out;
}

/**
 * Reads an RFC 3464 report: the `message/delivery-status` part (per-recipient Action, Status,
 * Diagnostic-Code) and the returned headers of the original (`text/rfc822-headers` or `message/rfc822`),
 * whose Message-ID names our outbound mail.
 */
export function readDsn(deliveryStatus: string | null, returnedHeaders: string | null): DsnReport {
  const groups = (deliveryStatus ?? '').split(/\r?\n\s*\r?\n/).map(headerFields);
  const perRecipient = groups.find((g) => g.has('final-recipient') || g.has('action')) ?? new Map();
  const original = returnedHeaders ? headerFields(returnedHeaders.split(/\r?\n\r?\n/)[0]!) : new Map();
  const id = original.get('message-id');
  const recipient = (perRecipient.get('final-recipient') ?? perRecipient.get('original-recipient') ?? '')
    .replace(/^rfc822;\s*/i, '')
    .trim();
  const status = perRecipient.get('status') ?? null;
  const diagnostic = (perRecipient.get('diagnostic-code') ?? '').replace(/^smtp;\s*/i, '').trim();
  const action = perRecipient.get('action') ?? 'failed';
  const reason =
    diagnostic || `${action} (status ${status ?? 'unknown'})${recipient ? ` for ${recipient}` : ''}`;
  return {
    originalMessageId: id ? bareId(id) : null,
    recipient: recipient || null,
    status,
    reason: `Bounced${recipient ? ` by ${recipient}` : ''}: ${reason}`.slice(0, 480),
  };
}
