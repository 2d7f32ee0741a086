import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app-context.ts';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

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
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: 'index.html' });
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      if (path.startsWith('/api/') || path.startsWith('/webhooks/') || path.startsWith('/socket.io/')) {
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
      }
      return reply.sendFile('index.html');
    });
  };
