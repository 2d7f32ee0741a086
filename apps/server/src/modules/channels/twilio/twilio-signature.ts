import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '../../../infra/crypto/hmac.ts';

export const SIGNATURE_HEADER = 'x-twilio-signature';

/** Form parameters as received: a name may repeat (e.g. MediaUrl on some products). */
export type FormParams = [name: string, value: string][];

/**
 * `base64(HMAC-SHA1(authToken, url + Σ name+value))`, names in byte order; a repeated name contributes
 * each distinct value once, values sorted (what Twilio's own libraries sign: vector T11).
 */
export function twilioSignature(authToken: string, url: string, params: FormParams = []): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  }
  let data = url;
  for (const name of [...byName.keys()].sort(byteOrder)) {
    for (const value of [...byName.get(name)!].sort(byteOrder)) data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*@)?([^/?#:]*)(:\d+)?([^#]*)/i;

/**
 * The URL both with and without its scheme's default port: Twilio signs whichever form it called, and a
 * proxy or configuration may show the other (vectors T5–T9). Host case is kept: it is part of the signature.
 */
export function urlVariants(url: string): string[] {
  const m = URL_PARTS.exec(url);
  if (!m) return [url];
  const [, scheme, userinfo = '', host, port, rest] = m;
  const defaultPort =
    scheme!.toLowerCase() === 'https' ? ':443' : scheme!.toLowerCase() === 'http' ? ':80' : null;
  const base = `${scheme}://${userinfo}${host}`;
  if (!defaultPort) return [url];
  if (port === defaultPort) return [`${base}${rest}`, `${base}${port}${rest}`];
  if (port) return [`${base}${port}${rest}`];
  return [`${base}${rest}`, `${base}${defaultPort}${rest}`];
}

/**
 * Checks `X-Twilio-Signature` in constant time. `url` is the public URL Twilio called (with its query);
 * form requests sign the POST parameters, JSON requests carry `bodySHA256` in the query instead, which must
 * equal the hex SHA-256 of the raw body.
 */
export function verifyTwilioSignature(
  authToken: string,
  header: unknown,
  url: string,
  params: FormParams,
  rawBody?: Buffer,
): boolean {
  if (typeof header !== 'string' || header.length === 0 || !authToken) return false;
  const bodyHash = /[?&]bodySHA256=([0-9a-fA-F]{64})(?:&|$)/.exec(url)?.[1];
  if (bodyHash) {
    const actual = createHash('sha256')
      .update(rawBody ?? Buffer.alloc(0))
      .digest('hex');
    if (!safeEqual(actual, bodyHash.toLowerCase())) return false;
  }
  const signed = bodyHash ? [] : params;
  return urlVariants(url).some((u) => safeEqual(twilioSignature(authToken, u, signed), header));
}
