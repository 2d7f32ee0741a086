import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app-context.ts';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Defence in depth for the console page: scripts only from this server, no framing. Customer
 * attachments are external http(s) URLs, so images and media may come from anywhere.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "media-src 'self' blob: https: http:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

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
        reply.header('content-security-policy', CONSOLE_CSP);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'same-origin');
        // Always revalidated, so a new build is picked up on the next load.
        reply.header('cache-control', 'no-cache');
        return reply.sendFile('index.html', { cacheControl: false });
      }
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
    });
  };
