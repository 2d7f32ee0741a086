import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';

/** One year: long enough that browsers never fall back to plain HTTP between visits. */
export const HSTS_VALUE = 'max-age=31536000';

/**
 * Whether the browser reached us over TLS. `req.protocol` honours X-Forwarded-Proto only when
 * TRUST_PROXY names the peer; PUBLIC_URL being https says the same for a proxy we were not told to trust.
 */
export function servedOverHttps(ctx: AppContext, req: FastifyRequest): boolean {
  return req.protocol === 'https' || ctx.config.publicUrl?.startsWith('https:') === true;
}

/** HSTS on every https answer (browsers ignore it on plain HTTP, so it is not sent there). */
export function registerTransportSecurity(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS_VALUE);
  });
}
