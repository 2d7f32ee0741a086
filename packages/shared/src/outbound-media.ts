/**
 * What files a channel can send to the customer (its provider's published limits), and the one check
 * the server's reply route and the console's composer both apply to an uploaded file.
 */
export interface OutboundMediaRule {
  /** How a matching file goes out at the provider. */
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'file';
  /** Exact MIME types, `type/*` or `prefix*` patterns, or 'any'. */
  mimeTypes: string[] | 'any';
  maxBytes: number;
}

export interface OutboundMedia {
  /** A file is sendable when some rule takes both its type and its size (rules are tried in order). */
  rules: OutboundMediaRule[];
  /** All files of one message together may be at most this large (Twilio MMS), or null. */
  maxTotalBytes: number | null;
}

export type OutboundFileCheck =
  | { ok: true; kind: OutboundMediaRule['kind'] }
  /** No rule takes this type; `allowed` lists the types that can go (['*'] never: then the type fits). */
  | { ok: false; reason: 'type'; allowed: string[] }
  /** The type fits, the size does not: `maxBytes` is the largest size a rule for this type takes. */
  | { ok: false; reason: 'size'; maxBytes: number };

function typeMatches(rule: OutboundMediaRule, mime: string): boolean {
  if (rule.mimeTypes === 'any') return true;
  const m = mime.toLowerCase();
  return rule.mimeTypes.some((p) => (p.endsWith('*') ? m.startsWith(p.slice(0, -1)) : m === p));
}

export function checkOutboundFile(
  caps: OutboundMedia,
  file: { mimeType: string; size: number },
): OutboundFileCheck {
  const byType = caps.rules.filter((r) => typeMatches(r, file.mimeType));
  if (byType.length === 0) {
    return {
      ok: false,
      reason: 'type',
      allowed: [...new Set(caps.rules.flatMap((r) => (r.mimeTypes === 'any' ? [] : r.mimeTypes)))],
    };
  }
  const fits = byType.find((r) => file.size <= r.maxBytes);
  if (!fits) return { ok: false, reason: 'size', maxBytes: Math.max(...byType.map((r) => r.maxBytes)) };
  return { ok: true, kind: fits.kind };
}

/** The whole message against `maxTotalBytes`: true when it fits (or there is no such limit). */
export function fitsOutboundTotal(caps: OutboundMedia, sizes: number[]): boolean {
  return caps.maxTotalBytes === null || sizes.reduce((a, b) => a + b, 0) <= caps.maxTotalBytes;
}

/** Caps every limit at Switchboard's own upload limit (MEDIA_MAX_BYTES): nothing larger is ever held. */
export function capOutboundMedia(caps: OutboundMedia, mediaMaxBytes: number): OutboundMedia {
  return {
    rules: caps.rules.map((r) => ({ ...r, maxBytes: Math.min(r.maxBytes, mediaMaxBytes) })),
    maxTotalBytes: caps.maxTotalBytes === null ? null : Math.min(caps.maxTotalBytes, mediaMaxBytes),
  };
}
