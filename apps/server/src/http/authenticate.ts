import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { safeEqual } from '../infra/crypto/hmac.ts';
import { assertUnrestricted, type Principal } from '../modules/auth/principal.ts';
import {
  API_TOKEN_PREFIX,
  SESSION_COOKIE,
  principalFromApiToken,
  principalFromSession,
} from '../modules/auth/session.service.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route needs no signed-in user (login, health, provider webhooks). */
    public?: boolean;
    /** Route a restricted session may use to finish signing in (change password, enrol 2FA, me, logout). */
    allowRestricted?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bearer API token or session cookie. Cookie-authenticated writes must echo the session's CSRF token
 * in `X-CSRF-Token`; a cross-site form cannot read it, so it cannot forge the request.
 */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const p = await credentials(ctx, req);
  if (!req.routeOptions.config.allowRestricted) assertUnrestricted(p);
  return p;
}

async function credentials(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]?.startsWith(API_TOKEN_PREFIX))
      throw new AppError('unauthorized', 'Malformed Authorization header');
    const p = await principalFromApiToken(ctx, m[1]);
    // Here, once for every route: a route added later cannot forget to honour the scope.
    if (p.scope === 'read' && !READ_METHODS.has(req.method))
      throw new AppError('token_read_only', 'This API token is read-only: only GET and HEAD are allowed');
    return p;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) throw new AppError('unauthorized', 'Sign in or send an API token');
  const p = await principalFromSession(ctx, cookie);
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !p.csrfToken || !safeEqual(sent, p.csrfToken)) {
      throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header');
    }
  }
  return p;
}

/** The caller of an authenticated route (set by the v1 scope's preHandler). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthorized', 'Not signed in');
  return req.principal;
}
