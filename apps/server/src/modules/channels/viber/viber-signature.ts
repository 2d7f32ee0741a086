import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-viber-content-signature';

/** `X-Viber-Content-Signature`: lowercase hex HMAC-SHA256 of the raw body, keyed with the bot's auth token. */
export function viberSignature(authToken: string, rawBody: Buffer | string): string {
  return createHmac('sha256', authToken).update(rawBody).digest('hex');
}

/** Constant-time check of the header against the raw bytes received. */
export function verifyViberSignature(
  authToken: string,
  header: string | string[] | undefined,
  rawBody: Buffer,
): boolean {
  if (!authToken || typeof header !== 'string') return false;
  const given = header.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = Buffer.from(viberSignature(authToken, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
