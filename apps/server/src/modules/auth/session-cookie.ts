import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { servedOverHttps } from '../../http/transport-security.ts';

/** The session cookie's attributes; `Secure` whenever the browser talks to us over TLS (see TRUST_PROXY). */
export function sessionCookieOptions(
  ctx: AppContext,
  req: FastifyRequest,
  expiresAt?: number,
): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: servedOverHttps(ctx, req),
    ...(expiresAt !== undefined ? { expires: new Date(expiresAt) } : {}),
  };
}
