import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { hmacSha256Hex, safeEqual } from '../../../infra/crypto/hmac.ts';

/**
 * Stateless, signed credentials for visitors: no table, any node verifies them with the installation
 * secret. Each purpose has its own derived key, so an upload receipt can never pass as a visitor token.
 */
type Purpose = 'visitor' | 'upload';

function keyFor(secret: string, purpose: Purpose): Buffer {
  return createHmac('sha256', secret).update(`switchboard/widget/${purpose}/v1`).digest();
}

function sign(secret: string, purpose: Purpose, claims: object): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', keyFor(secret, purpose)).update(body).digest('base64url');
  return `${body}.${mac}`;
}

function open(secret: string, purpose: Purpose, token: string): unknown {
  if (token.length > 4096) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const body = token.slice(0, dot);
  const mac = createHmac('sha256', keyFor(secret, purpose)).update(body).digest('base64url');
  if (!safeEqual(token.slice(dot + 1), mac)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

const visitorClaims = z.object({
  /** Channel the visitor belongs to: a token never works on another channel. */
  c: z.string(),
  /** External id of the visitor's channel identity: `a:<random>` (anonymous) or `u:<userId>` (signed). */
  v: z.string(),
  /** What the visitor told us (pre-chat form) or the business's backend vouched for (identify). */
  n: z.string().optional(),
  e: z.string().optional(),
  p: z.string().optional(),
  iat: z.number(),
});
export type VisitorClaims = z.infer<typeof visitorClaims>;

export function signVisitorToken(secret: string, claims: VisitorClaims): string {
  return sign(secret, 'visitor', claims);
}

/** The claims of a genuine token for this channel, or null. */
export function verifyVisitorToken(secret: string, token: string, channelId: string): VisitorClaims | null {
  const parsed = visitorClaims.safeParse(open(secret, 'visitor', token));
  return parsed.success && parsed.data.c === channelId ? parsed.data : null;
}

const uploadClaims = z.object({
  /** The `widget_uploads` row; receipts issued before it existed carry none. */
  id: z.string().optional(),
  c: z.string(),
  v: z.string(),
  key: z.string(),
  name: z.string().nullable(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
});
export type UploadClaims = z.infer<typeof uploadClaims>;

/** A receipt for a stored upload; the visitor hands it back when sending the message that carries it. */
export function signUploadToken(secret: string, claims: UploadClaims): string {
  return sign(secret, 'upload', claims);
}

/** The upload, if the receipt is genuine and was issued to this visitor of this channel. */
export function verifyUploadToken(
  secret: string,
  token: string,
  channelId: string,
  externalId: string,
): UploadClaims | null {
  const parsed = uploadClaims.safeParse(open(secret, 'upload', token));
  if (!parsed.success || parsed.data.c !== channelId || parsed.data.v !== externalId) return null;
  return parsed.data;
}

/** What the business's backend computes for a logged-in user: hex HMAC-SHA256(identity secret, userId). */
export function identityHash(identitySecret: string, userId: string): string {
  return hmacSha256Hex(identitySecret, userId);
}

export function identityHashValid(identitySecret: string, userId: string, hash: string): boolean {
  return safeEqual(hash.toLowerCase(), identityHash(identitySecret, userId));
}
