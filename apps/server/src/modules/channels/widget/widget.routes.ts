import cors from '@fastify/cors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { VISITOR_TOKEN_HEADER } from './widget-access.ts';
import { widgetFileRoutes } from './widget-files.routes.ts';
import { widgetMessageRoutes } from './widget-messages.routes.ts';
import { widgetSessionRoutes } from './widget-session.routes.ts';

/**
 * The visitor-facing API of site chat widgets, `/api/v1/widget/<channelId>/...`. Public and callable
 * from any site (CORS `*`, no cookies): a visitor is identified by a signed token in the
 * `X-Visitor-Token` header, which the widget keeps in the host page's local storage. Everything here is
 * hostile input: sizes are bounded, requests are rate-limited per IP and per visitor, and visitor
 * messages enter the same durable pipeline as provider webhooks (raw event + job, then 2xx).
 */
export const widgetVisitorRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Every answer, errors and rate limits included, is readable by the widget on any site; any OPTIONS
    // request is a preflight (no strict checks: a proxy may strip what a browser sent).
    await app.register(cors, {
      origin: '*',
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', VISITOR_TOKEN_HEADER, 'x-file-name'],
      maxAge: 600,
      strictPreflight: false,
    });
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
    await app.register(widgetSessionRoutes(ctx));
    await app.register(widgetMessageRoutes(ctx));
    await app.register(widgetFileRoutes(ctx));
  };
