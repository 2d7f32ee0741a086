import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type ChannelRoutingDto, channelRoutingSchema } from '@switchboard/shared';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { audit } from '../../audit/audit.service.ts';
import { requireRole } from '../../auth/principal.ts';
import { transact } from '../../events/unit-of-work.ts';
import { ROUTING_JOBS } from '../routing-job-types.ts';
import { capabilitiesOf } from '../../channels/channel-capabilities.ts';
import { allAdapters, findAdapter } from '../../channels/channel-registry.ts';
import {
  type AUTOMATIC_KINDS,
  type ChannelRouting,
  DEFAULT_TEXTS,
  TEMPLATE_VARIABLES,
  defaultWindowFor,
  loadChannelRouting,
  routingSettingsSchema,
  settingMs,
} from './routing-settings.ts';

/** The types whose window an admin may make unlimited, for the refusal's message. */
function unlimitedTypes(): string[] {
  return allAdapters()
    .filter((a) => a.capabilities.window.unlimitedAllowed)
    .map((a) => a.type);
}

/** "WhatsApp" rather than "whatsapp" in an admin's error message: the provider's name, else the label. */
function adapterLabel(type: string): string {
  const a = findAdapter(type);
  return a?.providerName ?? a?.label.en ?? type;
}

function toDto(r: ChannelRouting): ChannelRoutingDto {
  const s = r.settings;
  const a = s.automaticMessages;
  const full = (kind: (typeof AUTOMATIC_KINDS)[number], t: { en?: string; ru?: string }) => ({
    en: t.en ?? DEFAULT_TEXTS[kind].en,
    ru: t.ru ?? DEFAULT_TEXTS[kind].ru,
  });
  const caps = capabilitiesOf(r.channelType).window;
  const fixed = caps.providerWindowMs !== null;
  return {
    channelId: r.channelId,
    scheduleId: r.schedule ? r.schedule.id : null,
    language: s.language,
    window: fixed ? defaultWindowFor(r.channelType) : (s.window ?? defaultWindowFor(r.channelType)),
    windowMs: r.windowMs,
    windowFixedByProvider: fixed,
    windowUnlimitedAllowed: caps.unlimitedAllowed,
    assignment: s.assignment,
    automaticMessages: {
      throttleHours: a.throttleHours,
      greeting: { enabled: a.greeting.enabled, text: full('greeting', a.greeting.text) },
      offline: { enabled: a.offline.enabled, text: full('offline', a.offline.text) },
      noAnswer: {
        enabled: a.noAnswer.enabled,
        afterMinutes: a.noAnswer.afterMinutes,
        text: full('no_answer', a.noAnswer.text),
      },
    },
    defaultTexts: DEFAULT_TEXTS,
    templateVariables: [...TEMPLATE_VARIABLES],
  };
}

/** A refusal shaped like a schema validation failure (details name the field), so clients mark the field. */
function fieldError(field: string, message: string): AppError {
  return new AppError('validation_error', `${field}: ${message}`, [{ path: `body.${field}`, message }]);
}

/** Per-channel routing (window, assignment, automatic messages): everyone reads, admins write. */
export const channelRoutingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function loadChannelRow(id: string, accountId: string) {
      const row = await k
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('Channel');
      return row;
    }

    app.get(
      '/channels/:id/routing',
      {
        schema: {
          tags: ['routing'],
          summary: "A channel's messaging window, assignment and automatic messages",
          params: idParams,
          response: { 200: channelRoutingSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return toDto(await loadChannelRouting(k, await loadChannelRow(req.params.id, p.accountId)));
      },
    );

    app.put(
      '/channels/:id/routing',
      {
        schema: {
          tags: ['routing'],
          summary: "Replace a channel's routing settings (admin); omitted fields take their defaults",
          params: idParams,
          body: routingSettingsSchema,
          response: { 200: channelRoutingSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const channel = await loadChannelRow(req.params.id, p.accountId);
        const b = req.body;
        if (b.scheduleId) {
          const s = await k
            .selectFrom('schedules')
            .select('id')
            .where('id', '=', b.scheduleId)
            .where('account_id', '=', p.accountId)
            .executeTakeFirst();
          if (!s) throw fieldError('scheduleId', 'no such schedule in this account');
        }
        const caps = capabilitiesOf(channel.type).window;
        if (b.window?.unit === 'unlimited' && !caps.unlimitedAllowed)
          throw fieldError(
            'window',
            `"unlimited" is allowed only for ${unlimitedTypes().join(' and ')} channels`,
          );
        if (
          caps.providerWindowMs !== null &&
          b.window &&
          settingMs(b.window, false) !== caps.providerWindowMs
        )
          throw fieldError(
            'window',
            `${adapterLabel(channel.type)}'s window is fixed by the provider at ${caps.providerWindowMs / 3_600_000} hours`,
          );
        const { scheduleId, assignment, ...rest } = b;
        const now = ctx.clock.now();
        const values = {
          channel_id: channel.id,
          account_id: p.accountId,
          schedule_id: scheduleId,
          assignment_mode: assignment.mode,
          settings: JSON.stringify({ ...rest, assignment }),
          updated_at: now,
        };
        await transact(ctx, async (uow) => {
          await uow.tx
            .insertInto('channel_routing')
            .values(values)
            .onConflict((oc) =>
              oc.column('channel_id').doUpdateSet({
                schedule_id: values.schedule_id,
                assignment_mode: values.assignment_mode,
                settings: values.settings,
                updated_at: now,
              }),
            )
            .execute();
          await audit(ctx, uow.tx, p, {
            action: 'channel.routing_updated',
            targetType: 'channel',
            targetId: channel.id,
            details: { assignmentMode: assignment.mode, scheduleId },
            ip: req.ip,
          });
          // Conversations already waiting are picked up as soon as the channel assigns automatically.
          if (assignment.mode !== 'manual')
            await uow.enqueue({
              type: ROUTING_JOBS.drain,
              payload: { accountId: p.accountId },
              accountId: p.accountId,
            });
        });
        return toDto(await loadChannelRouting(k, channel));
      },
    );
  };
