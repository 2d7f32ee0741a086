import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { channelRoutes } from '../modules/channels/channels.routes.ts';
import { conversationRoutes } from '../modules/conversations/conversations.routes.ts';
import { messageRoutes } from '../modules/messages/messages.routes.ts';

/** Every authenticated `/api/v1` module (auth routes are registered by the app itself). */
export async function registerApiRoutes(v1: FastifyInstance, ctx: AppContext): Promise<void> {
  await v1.register(channelRoutes(ctx));
  await v1.register(conversationRoutes(ctx));
  await v1.register(messageRoutes(ctx));
}
