import { telegramWebhookSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { notFound } from '../../../http/errors.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { audit } from '../../audit/audit.service.ts';
import { requireRole } from '../../auth/principal.ts';
import { loadChannel, webhookUrl } from '../channel.service.ts';
import { connectTelegramBot } from './telegram-connect.ts';

/**
 * `POST /channels/:id/telegram/webhook`: checks the bot token again and re-registers the webhook, for
 * when Switchboard's public address changed or someone pointed the bot elsewhere.
 */
export const telegramRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/channels/:id/telegram/webhook',
      {
        schema: {
          tags: ['channels'],
          summary: 'Re-register a Telegram channel’s webhook (admin)',
          params: idParams,
          response: {
            200: telegramWebhookSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { row, runtime } = await loadChannel(ctx, req.params.id, p.accountId);
        if (row.type !== 'telegram') throw notFound('Telegram channel');
        const url = webhookUrl(ctx, `${req.protocol}://${req.host}`, row.type, row.id);
        const learnt = await connectTelegramBot(ctx, runtime, url);
        const settings = { ...runtime.settings, ...learnt };
        await ctx.db.kysely.transaction().execute(async (tx) => {
          await tx
            .updateTable('channels')
            .set({ settings: JSON.stringify(settings), updated_at: ctx.clock.now() })
            .where('id', '=', row.id)
            .execute();
          await audit(ctx, tx, p, {
            action: 'channel.webhook_registered',
            targetType: 'channel',
            targetId: row.id,
            details: { webhookUrl: url },
            ip: req.ip,
          });
        });
        return {
          webhookUrl: url,
          botId: learnt.botId as number,
          botUsername: (learnt.botUsername as string | null) ?? null,
        };
      },
    );
  };
