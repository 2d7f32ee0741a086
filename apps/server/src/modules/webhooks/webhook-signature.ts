import { hmacSha256Hex } from '../../infra/crypto/hmac.ts';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`: the timestamp is inside the signature, so a
 * receiver that refuses old timestamps also refuses replays of a captured delivery.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}
