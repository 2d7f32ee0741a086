import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a verified Vonage webhook token says. */
export interface VonageClaims {
  iat?: number;
  exp?: number;
  nbf?: number;
  jti?: string;
  iss?: string;
  api_key?: string;
  application_id?: string;
  payload_hash?: string;
  [k: string]: unknown;
}

/** Tokens signed more than this far in the future are refused (clock skew allowance). */
const SKEW_SECONDS = 300;

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A JWT signed HS256 with `secret`, checked in constant time: the claims, or null when it is malformed,
 * of another algorithm (an `alg: none` token is never accepted), wrongly signed, expired or not yet valid.
 */
export function verifyHs256(token: string, secret: string, nowSeconds: number): VonageClaims | null {
  if (!secret) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = b64urlJson(h);
  if (header?.alg !== 'HS256') return null;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = b64urlJson(p) as VonageClaims | null;
  if (!claims) return null;
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + SKEW_SECONDS) return null;
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + SKEW_SECONDS) return null;
  return claims;
}

/**
 * A signed Messages API webhook: `Authorization: Bearer <JWT>`, HS256 with the account's signature secret,
 * whose `payload_hash` claim is the hex SHA-256 of the exact body received. Both must hold.
 */
export function verifyVonageWebhook(
  signatureSecret: string,
  authorization: string | string[] | undefined,
  rawBody: Buffer,
  nowSeconds: number,
): VonageClaims | null {
  if (typeof authorization !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) return null;
  const claims = verifyHs256(m[1]!, signatureSecret, nowSeconds);
  if (!claims || typeof claims.payload_hash !== 'string') return null;
  const hash = createHash('sha256').update(rawBody).digest('hex');
  const claimed = claims.payload_hash.toLowerCase();
  if (claimed.length !== hash.length || !timingSafeEqual(Buffer.from(claimed), Buffer.from(hash)))
    return null;
  return claims;
}

/** Signs a webhook body as Vonage does (for the sandbox and tests). */
export function signVonageWebhook(
  signatureSecret: string,
  rawBody: string | Buffer,
  claims: VonageClaims = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      iat: now,
      jti: `${now}-${Math.random().toString(36).slice(2)}`,
      iss: 'Vonage',
      payload_hash: createHash('sha256').update(rawBody).digest('hex'),
      ...claims,
    }),
  ).toString('base64url');
  const sig = createHmac('sha256', signatureSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}
