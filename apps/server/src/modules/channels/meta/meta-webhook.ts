import { createHmac } from 'node:crypto';
import { DomainError } from '../../../lib/domain-error.ts';
import { safeEqual } from '../../../infra/crypto/hmac.ts';
import type { WebhookRequest, WebhookResult } from '../channel-adapter.ts';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex HMAC-SHA256(app secret, raw body)>`, compared in constant time. */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer | string, header: unknown): boolean {
  if (typeof header !== 'string' || !appSecret) return false;
  const expected = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return safeEqual(header.trim().toLowerCase(), expected);
}

/** Throws `invalid_signature` unless the raw bytes carry the app secret's signature. */
export function assertMetaSignature(req: WebhookRequest, appSecret: string | undefined): void {
  if (!verifyMetaSignature(appSecret ?? '', req.rawBody, req.headers[SIGNATURE_HEADER])) {
    throw new DomainError('invalid_signature', 'Missing or wrong X-Hub-Signature-256');
  }
}

/**
 * Meta's subscription handshake: `hub.mode=subscribe`, the verify token the admin typed in the dashboard,
 * and `hub.challenge`, which must come back as the bare body.
 */
export function metaHandshake(req: WebhookRequest, verifyToken: string | undefined): WebhookResult {
  const mode = req.query['hub.mode'];
  const token = req.query['hub.verify_token'];
  const challenge = req.query['hub.challenge'];
  const expected = verifyToken ?? '';
  if (mode !== 'subscribe' || typeof token !== 'string' || !expected || !safeEqual(token, expected)) {
    throw new DomainError('forbidden', 'Wrong hub.mode or hub.verify_token');
  }
  // Meta sends a number; anything else is not echoed back.
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_.-]{1,200}$/.test(challenge)) {
    throw new DomainError('bad_request', 'hub.challenge missing or malformed');
  }
  return { events: [], response: { status: 200, body: challenge, contentType: 'text/plain' } };
}

/**
 * The body as JSON. Strict JSON first; only when that fails, the liberties Meta's own published
 * examples take (`\u{2764}` escapes, trailing commas, `//` comments) are undone and parsing retried,
 * so a payload copied from the documentation is not refused. The signature was checked on the raw bytes
 * before this, so the leniency cannot be used to pass unsigned data.
 */
export function parseMetaJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(relaxedToStrict(text));
    } catch {
      throw new DomainError('invalid_json', 'The request body is not valid JSON');
    }
  }
}

function relaxedToStrict(s: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inString) {
      if (c === '\\' && s[i + 1] === 'u' && s[i + 2] === '{') {
        const end = s.indexOf('}', i + 3);
        const cp = end > 0 ? Number.parseInt(s.slice(i + 3, end), 16) : Number.NaN;
        if (Number.isFinite(cp) && cp <= 0x10ffff) {
          out += String.fromCodePoint(cp);
          i = end;
          continue;
        }
      }
      if (c === '\\') {
        out += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      for (;;) {
        while (j < s.length && /\s/.test(s[j]!)) j++;
        if (s[j] !== '/' || s[j + 1] !== '/') break;
        while (j < s.length && s[j] !== '\n') j++;
      }
      if (s[j] === '}' || s[j] === ']') continue;
    }
    out += c;
  }
  return out;
}
