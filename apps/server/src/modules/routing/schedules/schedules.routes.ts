import { type ScheduleDto, scheduleBody, scheduleSchema, scheduleStatusSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { audit } from '../../audit/audit.service.ts';
import { requireRole } from '../../auth/principal.ts';
import { scheduleFromRow } from '../settings/routing-settings.ts';
import { isOpenAt, nextOpenAt } from './schedule.ts';

function toDto(row: Row<'schedules'>): ScheduleDto {
  const s = scheduleFromRow(row);
  return {
    id: row.id,
    name: row.name,
    timeZone: s.timeZone,
    weekly: s.weekly,
    exceptions: s.exceptions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Working-hours schedules: everyone reads, admins write. */
export const scheduleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function load(id: string, accountId: string) {
      const row = await k
        .selectFrom('schedules')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('Schedule');
      return row;
    }

    app.get(
      '/schedules',
      {
        schema: {
          tags: ['routing'],
          summary: 'List working-hours schedules',
          response: { 200: z.object({ items: z.array(scheduleSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const rows = await k
          .selectFrom('schedules')
          .selectAll()
          .where('account_id', '=', p.accountId)
          .orderBy('created_at')
          .execute();
        return { items: rows.map(toDto) };
      },
    );

    app.get(
      '/schedules/:id',
      {
        schema: {
          tags: ['routing'],
          summary: 'One schedule',
          params: idParams,
          response: { 200: scheduleSchema, ...errorResponses },
        },
      },
      async (req) => toDto(await load(req.params.id, principalOf(req).accountId)),
    );

    app.get(
      '/schedules/:id/status',
      {
        schema: {
          tags: ['routing'],
          summary: 'Whether the schedule is open at a moment (default now) and when it opens next',
          params: idParams,
          querystring: z.object({ at: z.coerce.number().int().positive().optional().describe('epoch ms') }),
          response: { 200: scheduleStatusSchema, ...errorResponses },
        },
      },
      async (req) => {
        const s = scheduleFromRow(await load(req.params.id, principalOf(req).accountId));
        const at = req.query.at ?? ctx.clock.now();
        return { at, open: isOpenAt(s, at), nextOpenAt: nextOpenAt(s, at) };
      },
    );

    app.post(
      '/schedules',
      {
        schema: {
          tags: ['routing'],
          summary: 'Create a schedule (admin)',
          body: scheduleBody,
          response: { 201: scheduleSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const now = ctx.clock.now();
        const row: Row<'schedules'> = {
          id: newId(now),
          account_id: p.accountId,
          name: req.body.name,
          time_zone: req.body.timeZone,
          weekly: JSON.stringify(req.body.weekly),
          exceptions: JSON.stringify(req.body.exceptions),
          created_at: now,
          updated_at: now,
        };
        await k.transaction().execute(async (tx) => {
          await tx.insertInto('schedules').values(row).execute();
          await audit(ctx, tx, p, {
            action: 'schedule.created',
            targetType: 'schedule',
            targetId: row.id,
            details: { name: row.name },
            ip: req.ip,
          });
        });
        return reply.status(201).send(toDto(row));
      },
    );

    app.put(
      '/schedules/:id',
      {
        schema: {
          tags: ['routing'],
          summary: 'Replace a schedule (admin)',
          params: idParams,
          body: scheduleBody,
          response: { 200: scheduleSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const row = await load(req.params.id, p.accountId);
        const patch = {
          name: req.body.name,
          time_zone: req.body.timeZone,
          weekly: JSON.stringify(req.body.weekly),
          exceptions: JSON.stringify(req.body.exceptions),
          updated_at: ctx.clock.now(),
        };
        await k.transaction().execute(async (tx) => {
          await tx.updateTable('schedules').set(patch).where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'schedule.updated',
            targetType: 'schedule',
            targetId: row.id,
            ip: req.ip,
          });
        });
        return toDto({ ...row, ...patch });
      },
    );

    app.delete(
      '/schedules/:id',
      {
        schema: {
          tags: ['routing'],
          summary: 'Delete a schedule no channel uses (admin)',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const row = await load(req.params.id, p.accountId);
        const used = await k
          .selectFrom('channel_routing')
          .select('channel_id')
          .where('schedule_id', '=', row.id)
          .execute();
        if (used.length)
          throw new AppError('conflict', 'Channels still use this schedule', {
            channelIds: used.map((u) => u.channel_id),
          });
        await k.transaction().execute(async (tx) => {
          await tx.deleteFrom('schedules').where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'schedule.deleted',
            targetType: 'schedule',
            targetId: row.id,
            ip: req.ip,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
