import {
  CSAT_DEFAULT_QUESTION,
  CSAT_DEFAULT_WINDOW_HOURS,
  channelCsatSchema,
  csatSettingsBody,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { loadCsatSettings, saveCsatSettings } from './csat-settings.ts';

const DEFAULTS = { question: CSAT_DEFAULT_QUESTION, windowHours: CSAT_DEFAULT_WINDOW_HOURS };

/** A channel's satisfaction survey: everyone reads, admins change it. */
export const csatRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const channelOf = async (id: string, accountId: string) => {
      const row = await k
        .selectFrom('channels')
        .select(['id', 'account_id'])
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('Channel');
      return row;
    };

    app.get(
      '/channels/:id/csat',
      {
        schema: {
          tags: ['csat'],
          summary: "A channel's satisfaction survey (sent when a conversation is resolved)",
          params: idParams,
          response: { 200: channelCsatSchema, ...errorResponses },
        },
      },
      async (req) => {
        const ch = await channelOf(req.params.id, principalOf(req).accountId);
        return { channelId: ch.id, ...(await loadCsatSettings(k, ch.id)), defaults: DEFAULTS };
      },
    );

    app.patch(
      '/channels/:id/csat',
      {
        schema: {
          tags: ['csat'],
          summary: "Change a channel's satisfaction survey (admin); fields left out keep their value",
          params: idParams,
          body: csatSettingsBody,
          response: { 200: channelCsatSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const ch = await channelOf(req.params.id, p.accountId);
        const saved = await transact(ctx, async (uow) => {
          const s = await saveCsatSettings(uow.tx, ch, req.body, ctx.clock.now());
          await audit(ctx, uow.tx, p, {
            action: 'channel.csat_updated',
            targetType: 'channel',
            targetId: ch.id,
            details: { enabled: s.enabled, windowHours: s.windowHours },
            ip: req.ip,
          });
          return s;
        });
        return { channelId: ch.id, ...saved, defaults: DEFAULTS };
      },
    );
  };
