import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Defence in depth for the console page: scripts only from this server, no framing, and images and
 * media only from this server too. Customer files are stored and served from /api/v1/attachments/:id,
 * so the operator's browser never loads a customer-controlled URL (which would leak the operator's IP
 * and reach into the operator's network). data: is for inline icons, blob: for previews of files an
 * operator is about to upload.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The console's page headers; /api/docs sends the same (it is a page of ours too). */
export function setPageSecurityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
}

const API_PREFIXES = ['/api/', '/webhooks/', '/socket.io/'];

/** Serves the built operator console at `/` (single-page app: unknown non-API paths get index.html). */
export const consoleRoutes =
  (_ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
        reply.redirect('/api/docs'),
      );
      return;
    }
    // Files are looked up per request (not listed at start-up), so a rebuilt console is served
    // without restarting the server.
    await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
    app.get<{ Params: { '*': string } }>(
      '/assets/*',
      { config: { public: true }, schema: { hide: true } },
      async (req, reply) => {
        // Asset names carry a content hash: they never change, so browsers may keep them.
        return reply.sendFile(`assets/${req.params['*']}`, { immutable: true, maxAge: '365d' });
      },
    );
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      if (path === '/' || !API_PREFIXES.some((p) => path.startsWith(p))) {
        setPageSecurityHeaders(reply);
        // Always revalidated, so a new build is picked up on the next load.
        reply.header('cache-control', 'no-cache');
        return reply.sendFile('index.html', { cacheControl: false });
      }
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
    });
  };
