/**
 * Addresses and ids Switchboard makes for an e-mail channel: the plus address that carries a
 * conversation token (`support+c<32 hex>@example.com`) and Message-IDs on the channel's domain that embed
 * our message and conversation ids, so a reply finds its conversation by either.
 */

/** A conversation id (UUID) as a token: its 32 hex digits, lower case (mail servers may fold case). */
export function conversationToken(conversationId: string): string {
  return `c${conversationId.replaceAll('-', '').toLowerCase()}`;
}

/** The conversation id a token stands for, or null when it is not one of ours. */
export function conversationIdOfToken(token: string): string | null {
  const m = /^c([0-9a-f]{32})$/i.exec(token);
  if (!m) return null;
  const h = m[1]!.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() };
}

/** `support+<token>@example.com` for `support@example.com`. */
export function plusAddress(channelAddress: string, conversationId: string): string {
  const { local, domain } = splitAddress(channelAddress);
  return `${local}+${conversationToken(conversationId)}@${domain}`;
}

/**
 * The conversation token in a recipient address of this channel (`support+<token>@` on the same
 * domain), or null. Other addresses (a CC to someone else) never count.
 */
export function tokenInAddress(channelAddress: string, recipient: string): string | null {
  const { local, domain } = splitAddress(channelAddress.toLowerCase());
  const r = splitAddress(recipient.trim().toLowerCase().replace(/^<|>$/g, ''));
  if (r.domain !== domain) return null;
  const prefix = `${local}+`;
  if (!r.local.startsWith(prefix)) return null;
  const token = r.local.slice(prefix.length);
  return conversationIdOfToken(token) ? token : null;
}

/** A Message-ID without its angle brackets, the way ids are stored and compared. */
export function bareId(id: string): string {
  return id.trim().replace(/^<|>$/g, '');
}

/** Every `<id>` in a header value (References, In-Reply-To), in order. */
export function idsIn(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const ids = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  // mailparser hands back bare ids when a header held only one.
  if (ids.length === 0 && text.trim() && !/\s/.test(text.trim())) return [bareId(text)];
  return ids;
}

/** `m<message hex>.c<conversation hex>.<time>@<domain>`: ours, and naming our message and conversation. */
export function outboundMessageId(
  channelAddress: string,
  messageId: string,
  conversationId: string,
  now: number,
): string {
  const hex = (id: string) => id.replaceAll('-', '').toLowerCase();
  return `m${hex(messageId)}.c${hex(conversationId)}.${now.toString(36)}@${splitAddress(channelAddress).domain}`;
}

/** The conversation token inside one of our own Message-IDs, or null. */
export function tokenInMessageId(id: string): string | null {
  const m = /^m[0-9a-f]{32}\.(c[0-9a-f]{32})\.[0-9a-z]+@/i.exec(bareId(id));
  return m ? m[1]!.toLowerCase() : null;
}

/** Subject without reply/forward prefixes and ticket tags, lower case and with single spaces. */
export function normaliseSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').trim();
  const prefix =
    /^(?:(?:re|fwd?|aw|wg|sv|vs|antw|ответ|отв|пересл)(?:\[\d+\])?\s*:\s*|\[[^\]]*#[^\]]*\]\s*)/i;
  for (let i = 0; i < 10; i++) {
    const next = s.replace(prefix, '');
    if (next === s) break;
    s = next.trim();
  }
  return s.replace(/\s+/g, ' ').toLowerCase();
}

/** `Re: <subject>` unless it already is a reply. */
export function replySubject(subject: string | null | undefined): string {
  const s = (subject ?? '').trim();
  if (!s) return 'Re: your message';
  return /^re\s*:/i.test(s) ? s : `Re: ${s}`;
}
