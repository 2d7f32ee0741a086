import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { channelCreateBody, channelPatchBody, channelSchema } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { hasRole, requireRole } from '../auth/principal.ts';
import type { ChannelRuntime } from './channel-adapter.ts';
import { adapterFor, allAdapters, channelTypes } from './channel-registry.ts';
import { channelHealthOf } from './channel-health.ts';
import { settingsFormOf } from './settings-form.ts';
import { whileConnecting } from './activation-probe.ts';
import { loadChannel, toRuntime, webhookUrl } from './channel.service.ts';
import { outboundMediaOf } from '../messages/outbound-media-check.ts';
import { requireAccountTeam } from '../teams/account-team.ts';

/**
 * The settings each type takes, written out from the adapters' own schemas (`GET /channel-types` has the
 * full form with types and labels), so the OpenAPI text cannot drift from what the server accepts.
 */
function settingsByType(): string {
  const perType = allAdapters().map((a) => {
    const fields = settingsFormOf(a.settingsSchema).map(
      (f) => `${f.name}${f.required ? '' : '?'}${f.secret ? ' (secret)' : ''}`,
    );
    return `${a.type}: {${fields.join(', ')}}`;
  });
  return `Settings per type: ${perType.join('; ')}.`;
}

/** The shared body, with `type` held to the types this server speaks (a refinement: same JSON Schema). */
const createBody = channelCreateBody.extend({
  type: channelCreateBody.shape.type.refine((t) => channelTypes().includes(t), {
    message: `type must be one of: ${channelTypes().join(', ')}`,
  }),
});

function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export const channelRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    function dto(req: FastifyRequest, row: Row<'channels'>, admin: boolean) {
      const base = {
        id: row.id,
        type: row.type,
        name: row.name,
        settings: JSON.parse(row.settings) as Record<string, unknown>,
        teamId: row.team_id,
        active: row.active === 1,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        outboundMedia: outboundMediaOf(ctx, row.type),
      };
      if (!admin) return base;
      const runtime = toRuntime(ctx, row);
      return {
        ...base,
        connection: adapterFor(row.type).describe(runtime, webhookUrl(ctx, origin(req), row.type, row.id)),
        health: channelHealthOf(row),
      };
    }

    /** The provider checks the credentials and registers the webhook before anything is stored. */
    async function activate(req: FastifyRequest, runtime: ChannelRuntime): Promise<Record<string, unknown>> {
      const adapter = adapterFor(runtime.type);
      if (!adapter.activate) return runtime.settings;
      const url = webhookUrl(ctx, origin(req), runtime.type, runtime.id);
      const r = await whileConnecting(runtime, () => adapter.activate!(ctx, runtime, url));
      return { ...runtime.settings, ...r.settings };
    }

    /** After a deactivation commits: tells the provider to stop delivering (best effort, logged). */
    async function disconnect(req: FastifyRequest, runtime: ChannelRuntime): Promise<void> {
      const adapter = adapterFor(runtime.type);
      if (!adapter.deactivate) return;
      try {
        await adapter.deactivate(ctx, runtime);
      } catch (err) {
        req.log.warn({ err, channelId: runtime.id }, 'could not disconnect the channel at its provider');
      }
    }

    async function checkTeam(accountId: string, teamId: string | null | undefined) {
      if (teamId) await requireAccountTeam(k, accountId, teamId);
    }

    function validateSettings(type: string, input: Record<string, unknown>) {
      const parsed = adapterFor(type).settingsSchema.safeParse(input);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new AppError(
          'validation_error',
          `settings.${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`,
          parsed.error.issues,
        );
      }
      return parsed.data;
    }

    app.get(
      '/channels',
      {
        schema: {
          tags: ['channels'],
          summary: 'List channels',
          response: { 200: z.object({ items: z.array(channelSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const rows = await k
          .selectFrom('channels')
          .selectAll()
          .where('account_id', '=', p.accountId)
          .orderBy('created_at')
          .execute();
        return { items: rows.map((r) => dto(req, r, hasRole(p, 'admin'))) };
      },
    );

    app.get(
      '/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'One channel',
          params: idParams,
          response: { 200: channelSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { row } = await loadChannel(ctx, req.params.id, p.accountId);
        return dto(req, row, hasRole(p, 'admin'));
      },
    );

    app.post(
      '/channels',
      {
        schema: {
          tags: ['channels'],
          summary: 'Create a channel (admin). The answer includes its webhook URL and generated secret.',
          description: settingsByType(),
          body: createBody,
          response: { 201: channelSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await checkTeam(p.accountId, req.body.teamId);
        const adapter = adapterFor(req.body.type);
        const prepared = await adapter.prepare(validateSettings(req.body.type, req.body.settings));
        const now = ctx.clock.now();
        const id = newId(now);
        const settings = await activate(req, {
          id,
          accountId: p.accountId,
          type: req.body.type,
          name: req.body.name,
          ...prepared,
        });
        const row: Row<'channels'> = {
          id,
          account_id: p.accountId,
          type: req.body.type,
          name: req.body.name,
          settings: JSON.stringify(settings),
          credentials_enc: ctx.secrets.sealJson(prepared.credentials),
          team_id: req.body.teamId ?? null,
          active: 1,
          created_at: now,
          updated_at: now,
          webhook_seen_at: null,
          health_issue: null,
          health_detail: null,
          health_at: null,
        };
        await k.transaction().execute(async (tx) => {
          await tx.insertInto('channels').values(row).execute();
          await audit(ctx, tx, p, {
            action: 'channel.created',
            targetType: 'channel',
            targetId: row.id,
            details: { type: row.type, name: row.name },
            ip: req.ip,
          });
        });
        return reply.status(201).send(dto(req, row, true));
      },
    );

    app.patch(
      '/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'Update a channel (admin)',
          params: idParams,
          body: channelPatchBody,
          response: { 200: channelSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { row, runtime } = await loadChannel(ctx, req.params.id, p.accountId);
        await checkTeam(p.accountId, req.body.teamId);
        const now = ctx.clock.now();
        const patch: Partial<Row<'channels'>> = { updated_at: now };
        if (req.body.name !== undefined) patch.name = req.body.name;
        if (req.body.teamId !== undefined) patch.team_id = req.body.teamId;
        if (req.body.active !== undefined) patch.active = req.body.active ? 1 : 0;
        const reactivating = req.body.active === true && row.active === 0;
        const deactivating = req.body.active === false && row.active === 1;
        if (req.body.settings !== undefined) {
          const prepared = await adapterFor(row.type).prepare(
            validateSettings(row.type, req.body.settings),
            runtime,
          );
          if (!deactivating)
            patch.settings = JSON.stringify(await activate(req, { ...runtime, ...prepared }));
          patch.credentials_enc = ctx.secrets.sealJson(prepared.credentials);
          // New credentials: a reported token problem is the old token's.
          Object.assign(patch, { health_issue: null, health_detail: null, health_at: null });
        } else if (reactivating) {
          // A deactivated channel was disconnected at its provider: connect it again.
          patch.settings = JSON.stringify(await activate(req, runtime));
        }
        await k.transaction().execute(async (tx) => {
          await tx.updateTable('channels').set(patch).where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'channel.updated',
            targetType: 'channel',
            targetId: row.id,
            details: { fields: Object.keys(req.body) },
            ip: req.ip,
          });
        });
        if (deactivating) await disconnect(req, runtime);
        return dto(req, { ...row, ...patch }, true);
      },
    );

    app.delete(
      '/channels/:id',
      {
        schema: {
          tags: ['channels'],
          summary: 'Deactivate a channel (admin); its history stays, its webhooks are refused',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const r = await k.transaction().execute(async (tx) => {
          const before = await tx
            .selectFrom('channels')
            .selectAll()
            .where('id', '=', req.params.id)
            .where('account_id', '=', p.accountId)
            .executeTakeFirst();
          const res = await tx
            .updateTable('channels')
            .set({ active: 0, updated_at: ctx.clock.now() })
            .where('id', '=', req.params.id)
            .where('account_id', '=', p.accountId)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) === 1) {
            await audit(ctx, tx, p, {
              action: 'channel.deactivated',
              targetType: 'channel',
              targetId: req.params.id,
              ip: req.ip,
            });
          }
          return {
            updated: Number(res.numUpdatedRows),
            wasActive: before?.active === 1 ? before : null,
          };
        });
        if (r.updated !== 1) throw notFound('Channel');
        if (r.wasActive) await disconnect(req, toRuntime(ctx, r.wasActive));
        return reply.status(204).send(null);
      },
    );
  };
