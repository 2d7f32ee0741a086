import { inboxSettingsSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';

/** Account-wide inbox behaviour: everyone may read it (the console adapts), admins change it. */
export const inboxSettingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/account/inbox-settings',
      {
        schema: {
          tags: ['conversations'],
          summary: "The account's inbox settings",
          response: { 200: inboxSettingsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const a = await k
          .selectFrom('accounts')
          .select('assign_on_reply')
          .where('id', '=', principalOf(req).accountId)
          .executeTakeFirstOrThrow();
        return { assignOnReply: a.assign_on_reply === 1 };
      },
    );

    app.put(
      '/account/inbox-settings',
      {
        schema: {
          tags: ['conversations'],
          summary: "Change the account's inbox settings (admin)",
          body: inboxSettingsSchema,
          response: { 200: inboxSettingsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await k.transaction().execute(async (tx) => {
          await tx
            .updateTable('accounts')
            .set({ assign_on_reply: req.body.assignOnReply ? 1 : 0 })
            .where('id', '=', p.accountId)
            .execute();
          await audit(ctx, tx, p, {
            action: 'account.inbox_settings_updated',
            targetType: 'account',
            targetId: p.accountId,
            details: req.body,
            ip: req.ip,
          });
        });
        return req.body;
      },
    );
  };
