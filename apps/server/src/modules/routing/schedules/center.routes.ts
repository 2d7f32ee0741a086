import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type CenterStatusDto, centerModeBody, centerStatusSchema } from '@switchboard/shared';
import type { AppContext } from '../../../app-context.ts';
import type { Principal } from '../../auth/principal.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { notFound } from '../../../http/errors.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { audit } from '../../audit/audit.service.ts';
import { requireRole } from '../../auth/principal.ts';
import { centerMode, centerState } from './center.service.ts';
import { loadChannelRouting } from '../settings/routing-settings.ts';
import { WIDGET_TOPIC, type WidgetBusMessage } from '../../channels/widget/widget-bus.ts';

/** Online/offline state of the center per channel, and the admin's override. */
export const centerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function status(p: Principal): Promise<CenterStatusDto> {
      const now = ctx.clock.now();
      const channels = await k
        .selectFrom('channels')
        .selectAll()
        .where('account_id', '=', p.accountId)
        .where('active', '=', 1)
        .orderBy('created_at')
        .execute();
      const out: CenterStatusDto['channels'] = [];
      for (const ch of channels) {
        const s = await centerState(k, await loadChannelRouting(k, ch), now);
        out.push({
          channelId: ch.id,
          name: ch.name,
          online: s.online,
          reason: s.reason,
          channelMode: s.channelMode,
          forcedBy: s.forcedBy,
          scheduleOpen: s.scheduleOpen,
          operatorsOnline: s.operatorsOnline,
          nextOpenAt: s.nextOpenAt,
        });
      }
      return { mode: await centerMode(k, p.accountId), channels: out };
    }

    app.get(
      '/center/status',
      {
        schema: {
          tags: ['routing'],
          summary: 'Whether the center is online on each channel, and why',
          response: { 200: centerStatusSchema, ...errorResponses },
        },
      },
      async (req) => status(principalOf(req)),
    );

    app.post(
      '/center/status',
      {
        schema: {
          tags: ['routing'],
          summary: 'Force the whole center online or offline, or back to automatic (admin)',
          description:
            'Account-wide. A channel forced on its own (POST /center/channels/{id}) keeps its own mode.',
          body: centerModeBody,
          response: { 200: centerStatusSchema, ...errorResponses },
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
        // Site widgets show the center's state: tell their open sockets now, not at their next refresh.
        await ctx.bus.publish(WIDGET_TOPIC, {
          kind: 'center',
          accountId: p.accountId,
        } satisfies WidgetBusMessage);
        return status(p);
      },
    );

    app.post(
      '/center/channels/:id',
      {
        schema: {
          tags: ['routing'],
          summary: 'Force one channel online or offline, or let it follow the account again (admin)',
          description:
            "auto = the channel follows the account's mode; online/offline win over the account's mode.",
          params: idParams,
          body: centerModeBody,
          response: { 200: centerStatusSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const channel = await k
          .selectFrom('channels')
          .select('id')
          .where('id', '=', req.params.id)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!channel) throw notFound('Channel');
        const now = ctx.clock.now();
        const { mode } = req.body;
        await k.transaction().execute(async (tx) => {
          await tx
            .insertInto('channel_center_status')
            .values({
              channel_id: channel.id,
              account_id: p.accountId,
              mode,
              updated_by: p.userId,
              updated_at: now,
            })
            .onConflict((oc) =>
              oc.column('channel_id').doUpdateSet({ mode, updated_by: p.userId, updated_at: now }),
            )
            .execute();
          await audit(ctx, tx, p, {
            action: 'center.channel_status_set',
            targetType: 'channel',
            targetId: channel.id,
            details: { mode },
            ip: req.ip,
          });
        });
        // Site widgets show the center's state: tell their open sockets now, not at their next refresh.
        await ctx.bus.publish(WIDGET_TOPIC, {
          kind: 'center',
          accountId: p.accountId,
        } satisfies WidgetBusMessage);
        return status(p);
      },
    );
  };
