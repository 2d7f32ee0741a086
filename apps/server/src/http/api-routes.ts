import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { exportRoutes } from '../modules/export/export.routes.ts';
import { searchRoutes } from '../modules/search/search.routes.ts';
import { templateRoutes } from '../modules/templates/templates.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { broadcastRoutes } from '../modules/broadcasts/broadcasts.routes.ts';
import { channelRoutes } from '../modules/channels/channels.routes.ts';
import { consentRoutes } from '../modules/consent/consent.routes.ts';
import { contactImportRoutes } from '../modules/contact-import/contact-import.routes.ts';
import { channelTypeRoutes } from '../modules/channels/channel-types.routes.ts';
import { allAdapters } from '../modules/channels/channel-registry.ts';
import { contactLabelRoutes } from '../modules/contacts/contact-labels.routes.ts';
import { contactNoteRoutes } from '../modules/contacts/contact-notes.routes.ts';
import { contactRoutes } from '../modules/contacts/contacts.routes.ts';
import { deadEventRoutes } from '../modules/dead-events/dead-events.routes.ts';
import { conversationRoutes } from '../modules/conversations/conversations.routes.ts';
import { countRoutes } from '../modules/conversations/counts.routes.ts';
import { readRoutes } from '../modules/conversations/read.routes.ts';
import { attachmentRoutes } from '../modules/media/attachments.routes.ts';
import { fileLinkRoutes } from '../modules/media/file-link.routes.ts';
import { uploadRoutes } from '../modules/media/uploads.routes.ts';
import { messageRoutes } from '../modules/messages/messages.routes.ts';
import { retryMessageRoutes } from '../modules/messages/retry-message.routes.ts';
import { routingRoutes } from '../modules/routing/routing.routes.ts';
import { teamRoutes } from '../modules/teams/teams.routes.ts';
import { tokenRoutes } from '../modules/tokens/tokens.routes.ts';
import { userRoutes } from '../modules/users/users.routes.ts';

/** Every authenticated `/api/v1` module (auth routes are registered by the app itself). */
export async function registerApiRoutes(v1: FastifyInstance, ctx: AppContext): Promise<void> {
  await v1.register(channelRoutes(ctx));
  await v1.register(conversationRoutes(ctx));
  await v1.register(countRoutes(ctx));
  await v1.register(readRoutes(ctx));
  await v1.register(messageRoutes(ctx));
  await v1.register(retryMessageRoutes(ctx));
  await v1.register(attachmentRoutes(ctx));
  await v1.register(uploadRoutes(ctx));
  await v1.register(fileLinkRoutes(ctx));
  await v1.register(channelTypeRoutes(ctx));
  // Each channel type's own routes (webhook re-registration, provider templates, the widget's operator side).
  for (const a of allAdapters()) if (a.routes?.api) await v1.register(a.routes.api(ctx));
  await v1.register(tokenRoutes(ctx));
  await v1.register(userRoutes(ctx));
  await v1.register(teamRoutes(ctx));
  await v1.register(contactRoutes(ctx));
  await v1.register(contactImportRoutes(ctx));
  await v1.register(consentRoutes(ctx));
  await v1.register(contactLabelRoutes(ctx));
  await v1.register(contactNoteRoutes(ctx));
  await v1.register(auditRoutes(ctx));
  await v1.register(routingRoutes(ctx));
  await v1.register(searchRoutes(ctx));
  await v1.register(templateRoutes(ctx));
  await v1.register(exportRoutes(ctx));
  await v1.register(broadcastRoutes(ctx));
  await v1.register(deadEventRoutes(ctx));
}
