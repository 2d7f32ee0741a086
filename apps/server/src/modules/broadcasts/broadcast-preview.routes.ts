import {
  broadcastPreviewBody as previewBody,
  broadcastPreviewSchema as previewSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { templateAllowedOutsideWindow } from '../routing/window/window-policy.ts';
import { resolveAudience } from './broadcast-audience.ts';
import { previewOutcomes } from './broadcast-preview.ts';

/** Before sending: how many the audience holds and what would become of them if it were sent now. */
export const broadcastPreviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    app.post(
      '/broadcasts/preview',
      {
        schema: {
          tags: ['broadcasts'],
          summary:
            'Count a broadcast audience and estimate each outcome as if it were sent now (supervisor or ' +
            'admin; sends nothing). Unknown contact ids are a validation error, as when sending.',
          body: previewBody,
          response: { 200: previewSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const b = req.body;
        const channel = await k
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', b.channelId)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!channel) throw notFound('Channel');
        if (channel.active !== 1)
          throw new AppError('conflict', 'This channel is deactivated; nothing can be sent through it');
        if (b.kind === 'template' && !templateAllowedOutsideWindow(channel.type))
          throw new AppError(
            'validation_error',
            `template: ${channel.type} channels have no provider templates`,
            [{ path: 'body.template', message: 'provider templates exist on WhatsApp channels only' }],
          );
        const contacts = await resolveAudience(ctx.db, p.accountId, b, { allowEmpty: true });
        return previewOutcomes(k, channel, contacts, b.kind, ctx.clock.now());
      },
    );
  };
