import {
  channelsReportSchema,
  distributionQuerySchema,
  distributionSchema,
  heatmapSchema,
  operatorsReportSchema,
  overviewSchema,
  REPORT_NAMES,
  slaReportQuerySchema,
  slaReportSchema,
  type ReportQuery,
  reportQuerySchema,
  timeseriesQuerySchema,
  timeseriesSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { accountTimeZone } from '../accounts/account-time-zone.ts';
import { type Principal, requireRole } from '../auth/principal.ts';
import { EXPORT_FORMATS } from '@switchboard/shared';
import {
  channelsTable,
  heatmapTable,
  operatorsTable,
  overviewTable,
  type ReportTable,
  renderTable,
  timeseriesTable,
} from './report-export.ts';
import { type ReportScope, scopeOf } from './report-period.ts';
import { slaBy } from './sla-report.ts';
import {
  channelsReport,
  distribution,
  heatmap,
  operatorsReport,
  overview,
  timeseries,
} from './reports.service.ts';

const tags = ['reports'];
const exportQuery = timeseriesQuerySchema.partial({ metric: true }).extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
});

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

export const reportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** Reports show every team's work: supervisors and admins only. */
    const scope = async (p: Principal, q: ReportQuery): Promise<ReportScope> => {
      requireRole(p, 'supervisor');
      return scopeOf(p.accountId, q, await accountTimeZone(ctx, p.accountId));
    };
    const doc = (summary: string) => `${summary} (docs/metrics.md defines every figure; times in seconds)`;

    app.get(
      '/reports/overview',
      {
        schema: {
          tags,
          summary: doc('Conversations, messages, response and resolution times over a period'),
          querystring: reportQuerySchema,
          response: { 200: overviewSchema, ...errorResponses },
        },
      },
      async (req) => overview(ctx, await scope(principalOf(req), req.query)),
    );

    app.get(
      '/reports/timeseries',
      {
        schema: {
          tags,
          summary: doc('One metric per hour, day or week, buckets in the requested time zone (DST-correct)'),
          querystring: timeseriesQuerySchema,
          response: { 200: timeseriesSchema, ...errorResponses },
        },
      },
      async (req) =>
        timeseries(ctx, await scope(principalOf(req), req.query), req.query.metric, req.query.interval),
    );

    app.get(
      '/reports/operators',
      {
        schema: {
          tags,
          summary: doc('One row per operator: conversations, replies, FRT and resolution, time online'),
          querystring: reportQuerySchema,
          response: { 200: operatorsReportSchema, ...errorResponses },
        },
      },
      async (req) => ({ data: await operatorsReport(ctx, await scope(principalOf(req), req.query)) }),
    );

    app.get(
      '/reports/channels',
      {
        schema: {
          tags,
          summary: doc('One row per channel'),
          querystring: reportQuerySchema,
          response: { 200: channelsReportSchema, ...errorResponses },
        },
      },
      async (req) => ({ data: await channelsReport(ctx, await scope(principalOf(req), req.query)) }),
    );

    app.get(
      '/reports/heatmap',
      {
        schema: {
          tags,
          summary: doc('Inbound messages and new conversations per local hour of the week (Monday = 0)'),
          querystring: reportQuerySchema,
          response: { 200: heatmapSchema, ...errorResponses },
        },
      },
      async (req) => heatmap(ctx, await scope(principalOf(req), req.query)),
    );

    app.get(
      '/reports/sla',
      {
        schema: {
          tags,
          summary: doc('SLA targets met and breached, and % met, per policy, team or operator'),
          querystring: slaReportQuerySchema,
          response: { 200: slaReportSchema, ...errorResponses },
        },
      },
      async (req) => ({
        group: req.query.group,
        data: await slaBy(ctx.db.kysely, await scope(principalOf(req), req.query), req.query.group),
      }),
    );

    app.get(
      '/reports/distribution',
      {
        schema: {
          tags,
          summary: doc('How many first responses or resolutions took 0–1 min, 1–5 min, … over 24 h'),
          querystring: distributionQuerySchema,
          response: { 200: distributionSchema, ...errorResponses },
        },
      },
      async (req) => distribution(ctx, await scope(principalOf(req), req.query), req.query.kind),
    );

    app.get(
      '/reports/:name/export',
      {
        schema: {
          tags,
          summary: 'Any report as a CSV or XLSX file (same query as the report; timeseries needs metric)',
          params: z.object({ name: z.enum(REPORT_NAMES) }),
          querystring: exportQuery,
          produces: Object.values(CONTENT_TYPES),
          response: { 200: z.any(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const s = await scope(principalOf(req), q);
        let table: ReportTable;
        switch (req.params.name) {
          case 'overview':
            table = overviewTable(await overview(ctx, s));
            break;
          case 'timeseries':
            if (!q.metric)
              throw new AppError('validation_error', 'metric is required for the timeseries export');
            table = timeseriesTable(await timeseries(ctx, s, q.metric, q.interval));
            break;
          case 'operators':
            table = operatorsTable(await operatorsReport(ctx, s));
            break;
          case 'channels':
            table = channelsTable(await channelsReport(ctx, s));
            break;
          case 'heatmap':
            table = heatmapTable(await heatmap(ctx, s));
            break;
        }
        const body = await renderTable(table, q.format, s.tz);
        const file = `report-${req.params.name}-${q.from}-${q.to}.${q.format}`.replace(/[^\w.-]/g, '_');
        return reply
          .header('content-type', CONTENT_TYPES[q.format])
          .header('content-disposition', `attachment; filename="${file}"`)
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );
  };
