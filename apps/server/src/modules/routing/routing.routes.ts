import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { centerRoutes } from './schedules/center.routes.ts';
import { channelRoutingRoutes } from './settings/channel-routing.routes.ts';
import { queueRoutes } from './assignment/queue.routes.ts';
import { scheduleRoutes } from './schedules/schedules.routes.ts';
import { windowRoutes } from './window/window.routes.ts';

/** Every routing route (schedules, channel routing, center status, window, queue). */
export const routingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(scheduleRoutes(ctx));
    await app.register(channelRoutingRoutes(ctx));
    await app.register(centerRoutes(ctx));
    await app.register(windowRoutes(ctx));
    await app.register(queueRoutes(ctx));
  };
