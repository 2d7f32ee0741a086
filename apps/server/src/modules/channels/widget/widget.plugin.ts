import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { widgetScriptRoutes } from './widget-script.routes.ts';
import { widgetVisitorRoutes } from './widget.routes.ts';

/** The public side of site widgets: `/widget.js` and the visitor API under `/api/v1/widget`. */
export const widgetPublicRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    await app.register(widgetScriptRoutes(ctx));
    await app.register(widgetVisitorRoutes(ctx), { prefix: '/api/v1/widget' });
  };
