import { hmacSha256Hex } from '../../../infra/crypto/hmac.ts';

export const SIGNATURE_HEADER = 'x-switchboard-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>`, for inbound and callbacks alike. */
export function signApiBody(secret: string, body: string | Buffer): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}
