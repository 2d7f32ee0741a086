import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Principal } from '../auth/principal.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';
import { CENTER_MODES, centerMode, centerState } from './center.service.ts';
import { loadChannelRouting } from './routing-settings.ts';

const statusSchema = z.object({
  mode: z.enum(CENTER_MODES).describe('auto = computed from schedules and presence; online/offline = forced'),
  channels: z.array(
    z.object({
      channelId: z.string(),
      name: z.string(),
      online: z.boolean(),
      reason: z.enum(['open', 'forced_online', 'forced_offline', 'outside_hours', 'no_operator_online']),
      scheduleOpen: z.boolean(),
      operatorsOnline: z.number(),
      nextOpenAt: z.number().nullable(),
    }),
  ),
});

/** Online/offline state of the center per channel, and the admin's override. */
export const centerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function status(p: Principal): Promise<z.infer<typeof statusSchema>> {
      const now = ctx.clock.now();
      const channels = await k
        .selectFrom('channels')
        .selectAll()
        .where('account_id', '=', p.accountId)
        .where('active', '=', 1)
        .orderBy('created_at')
        .execute();
      const out: z.infer<typeof statusSchema>['channels'] = [];
      for (const ch of channels) {
        const { mode: _mode, ...s } = await centerState(k, await loadChannelRouting(k, ch), now);
        out.push({ channelId: ch.id, name: ch.name, ...s });
      }
      return { mode: await centerMode(k, p.accountId), channels: out };
    }

    app.get(
      '/center/status',
      {
        schema: {
          tags: ['routing'],
          summary: 'Whether the center is online on each channel, and why',
          response: { 200: statusSchema, ...errorResponses },
        },
      },
      async (req) => status(principalOf(req)),
    );

    app.post(
      '/center/status',
      {
        schema: {
          tags: ['routing'],
          summary: 'Force the center online or offline, or back to automatic (admin)',
          body: z.object({ mode: z.enum(CENTER_MODES) }),
          response: { 200: statusSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const now = ctx.clock.now();
        await k.transaction().execute(async (tx) => {
          await tx
            .insertInto('center_status')
            .values({ account_id: p.accountId, mode: req.body.mode, updated_by: p.userId, updated_at: now })
            .onConflict((oc) =>
              oc
                .column('account_id')
                .doUpdateSet({ mode: req.body.mode, updated_by: p.userId, updated_at: now }),
            )
            .execute();
          await audit(ctx, tx, p, {
            action: 'center.status_set',
            details: { mode: req.body.mode },
            ip: req.ip,
          });
        });
        return status(p);
      },
    );
  };
