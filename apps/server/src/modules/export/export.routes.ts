import {
  accountTimeZoneBody,
  accountTimeZoneSchema,
  createExportBody,
  type ExportDto,
  exportSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { hasRole, type Principal, requireRole } from '../auth/principal.ts';
import { listFilterConditions } from '../conversations/list-filter.ts';
import { visibleTeamIds } from '../conversations/conversation-access.ts';
import { transact } from '../events/unit-of-work.ts';
import { parseSearchText } from '../search/search.service.ts';
import { EXPORT_JOB, EXPORT_MAX_ATTEMPTS } from './export.job.ts';
import { exportFileName } from './export.service.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';
import { accountTimeZone } from '../accounts/account-time-zone.ts';

function toDto(r: Row<'exports'>): ExportDto {
  return {
    id: r.id,
    kind: r.kind as 'messages',
    format: r.format as 'xlsx',
    filter: JSON.parse(r.filter),
    status: r.status as 'pending',
    rowsDone: r.rows_done,
    rowsTotal: r.rows_total,
    fileName: r.file_name,
    size: r.size,
    error: r.error,
    downloadUrl: r.status === 'done' ? `/api/v1/exports/${r.id}/download` : null,
    requestedBy: r.user_id,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** An export is its requester's; supervisors and admins see all of the account's. Others: 404. */
async function loadExport(ctx: AppContext, p: Principal, id: string): Promise<Row<'exports'>> {
  const row = await ctx.db.kysely
    .selectFrom('exports')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', p.accountId)
    .executeTakeFirst();
  if (!row || (row.user_id !== p.userId && !hasRole(p, 'supervisor'))) throw notFound('Export');
  return row;
}

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

export const exportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.post(
      '/exports',
      {
        schema: {
          tags: ['exports'],
          summary: 'Start an export (XLSX or CSV) of conversations or messages; runs as a background job',
          body: createExportBody,
          response: { 202: exportSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const b = req.body;
        if (b.kind === 'contacts') requireRole(p, 'supervisor');
        if (b.filter.q) parseSearchText(b.filter.q);
        const teams = await visibleTeamIds(ctx, p);
        const now = ctx.clock.now();
        // An attribute filter that fits no definition is refused now, not when the job runs.
        await listFilterConditions(ctx, { accountId: p.accountId, userId: p.userId, teams }, b.filter, now);
        const zone = new ZonedTime(await accountTimeZone(ctx, p.accountId));
        const row: Row<'exports'> = {
          id: newId(now),
          account_id: p.accountId,
          user_id: p.userId,
          kind: b.kind,
          format: b.format,
          filter: JSON.stringify(b.filter),
          visible_teams: teams ? JSON.stringify(teams) : null,
          status: 'pending',
          rows_done: 0,
          rows_total: null,
          storage_key: null,
          file_name: exportFileName(b, now, zone),
          size: null,
          error: null,
          created_at: now,
          updated_at: now,
          finished_at: null,
        };
        await transact(ctx, async (uow) => {
          await uow.tx.insertInto('exports').values(row).execute();
          await uow.enqueue({
            type: EXPORT_JOB,
            payload: { exportId: row.id },
            accountId: p.accountId,
            maxAttempts: EXPORT_MAX_ATTEMPTS,
          });
          // Customer data leaving the system: who asked for what is on record with the request itself.
          await audit(ctx, uow.tx, p, {
            action: 'export.created',
            targetType: 'export',
            targetId: row.id,
            details: { kind: b.kind, format: b.format, filter: b.filter, via: p.via },
            ip: req.ip,
          });
        });
        return reply.status(202).send(toDto(row));
      },
    );

    app.get(
      '/exports',
      {
        schema: {
          tags: ['exports'],
          summary: "Recent exports (yours; supervisors and admins see everyone's)",
          response: { 200: z.object({ items: z.array(exportSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const rows = await k
          .selectFrom('exports')
          .selectAll()
          .where('account_id', '=', p.accountId)
          .$if(!hasRole(p, 'supervisor'), (q) => q.where('user_id', '=', p.userId))
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(50)
          .execute();
        return { items: rows.map(toDto) };
      },
    );

    app.get(
      '/exports/:id',
      {
        schema: {
          tags: ['exports'],
          summary: 'Status and progress of an export',
          params: idParams,
          response: { 200: exportSchema, ...errorResponses },
        },
      },
      async (req) => toDto(await loadExport(ctx, principalOf(req), req.params.id)),
    );

    app.get(
      '/exports/:id/download',
      {
        schema: {
          tags: ['exports'],
          summary: 'The finished file',
          params: idParams,
          produces: Object.values(CONTENT_TYPES),
          response: { 200: z.any(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const row = await loadExport(ctx, principalOf(req), req.params.id);
        if (row.status !== 'done' || !row.storage_key)
          throw new AppError('conflict', `The export is ${row.status}, not ready for download`);
        const file = await ctx.files.get(row.storage_key);
        if (!file) throw notFound('Export file');
        const p = principalOf(req);
        await audit(ctx, k, p, {
          action: 'export.downloaded',
          targetType: 'export',
          targetId: row.id,
          details: { kind: row.kind, format: row.format, fileName: row.file_name, via: p.via },
          ip: req.ip,
        });
        return reply
          .header('content-type', CONTENT_TYPES[row.format as 'xlsx'] ?? 'application/octet-stream')
          .header('content-disposition', `attachment; filename="${row.file_name}"`)
          .header('cache-control', 'private, no-store')
          .send(file);
      },
    );

    app.get(
      '/account/time-zone',
      {
        schema: {
          tags: ['exports'],
          summary: "The account's time zone (dates in exports and reports)",
          response: { 200: accountTimeZoneSchema, ...errorResponses },
        },
      },
      async (req) => ({ timeZone: await accountTimeZone(ctx, principalOf(req).accountId) }),
    );

    app.put(
      '/account/time-zone',
      {
        schema: {
          tags: ['exports'],
          summary: "Set the account's time zone (admin)",
          body: accountTimeZoneBody,
          response: { 200: accountTimeZoneSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await k
          .updateTable('accounts')
          .set({ time_zone: req.body.timeZone })
          .where('id', '=', p.accountId)
          .execute();
        return { timeZone: req.body.timeZone };
      },
    );
  };
