import { createHmac } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { safeEqual } from '../../infra/crypto/hmac.ts';

/** How long a signed download link works: long enough for a receiver's retries, short enough to leak little. */
export const FILE_LINK_TTL_MS = 24 * 3_600_000;

/** Its own key derived from the installation secret, so a link signature can never pass as anything else. */
function linkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('switchboard/file-link/v1').digest();
}

function signature(secret: string, attachmentId: string, expires: number): string {
  return createHmac('sha256', linkKey(secret)).update(`${attachmentId}.${expires}`).digest('base64url');
}

/** Where this installation is reachable from outside: PUBLIC_URL, else the local port (development). */
export function publicOrigin(ctx: AppContext): string {
  return ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`;
}

/**
 * A download URL for one stored attachment that needs no sign-in, for receivers outside Switchboard
 * (an API channel's backend, a provider that fetches media by link), and when it stops working (epoch ms).
 */
export function signedFileLink(
  ctx: AppContext,
  attachmentId: string,
  now = ctx.clock.now(),
): { url: string; expiresAt: number } {
  const expires = Math.floor((now + FILE_LINK_TTL_MS) / 1000);
  const sig = signature(ctx.config.secret, attachmentId, expires);
  return {
    url: `${publicOrigin(ctx)}/api/v1/files/${encodeURIComponent(attachmentId)}?expires=${expires}&signature=${sig}`,
    expiresAt: expires * 1000,
  };
}

/** Whether a link's signature is genuine and it has not expired. */
export function fileLinkValid(
  ctx: AppContext,
  attachmentId: string,
  expires: number,
  sig: string,
  now = ctx.clock.now(),
): boolean {
  if (!Number.isSafeInteger(expires) || expires * 1000 < now) return false;
  return safeEqual(sig, signature(ctx.config.secret, attachmentId, expires));
}
