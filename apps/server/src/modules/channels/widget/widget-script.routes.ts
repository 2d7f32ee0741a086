import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { notFound } from '../../../http/errors.ts';

export const WIDGET_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../../../widget/dist');

/**
 * `GET /widget.js`: the site widget bundle (apps/widget). Read per request with a cheap mtime check, so a
 * rebuilt widget is served without a restart. Sites embed it from their own pages, hence the
 * cross-origin resource policy; the short cache lets a new version reach visitors within minutes.
 */
export const widgetScriptRoutes =
  (_ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    let cached: { mtimeMs: number; body: Buffer; gzipped: Buffer } | undefined;
    app.get('/widget.js', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      const file = join(WIDGET_DIST, 'widget.js');
      const s = await stat(file).catch(() => undefined);
      if (!s) throw notFound('widget.js (build it with `npm run build`)');
      if (cached?.mtimeMs !== s.mtimeMs) {
        const body = await readFile(file);
        cached = { mtimeMs: s.mtimeMs, body, gzipped: gzipSync(body, { level: 9 }) };
      }
      // Compressed here once per build: most visitors load it on their first page view.
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('access-control-allow-origin', '*')
        .header('x-content-type-options', 'nosniff')
        .header('vary', 'accept-encoding')
        .send(gzip ? cached.gzipped : cached.body);
    });
  };
