import { z } from 'zod';

/** Report shapes (docs/metrics.md defines every figure). Durations are in seconds. */

export const REPORT_INTERVALS = ['hour', 'day', 'week'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export const TIMESERIES_METRICS = [
  'conversations_created',
  'conversations_resolved',
  'conversations_reopened',
  'messages_inbound',
  'messages_outbound',
  'messages_automatic',
  'messages_notes',
  'first_response_median',
  'next_response_median',
  'resolution_median',
  'csat_average',
  'csat_responses',
  'sla_met_percent',
] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];

const bound = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .describe('YYYY-MM-DD (a local day in tz; `to` includes it), an ISO instant with offset, or epoch ms');

/** The period and filters every report takes. */
export const reportQuerySchema = z.object({
  from: bound,
  to: bound,
  tz: z.string().max(64).optional().describe("IANA time zone; default the account's"),
  channel: z.string().max(64).optional(),
  team: z.string().max(64).optional(),
  operator: z.string().max(64).optional(),
  label: z.string().max(100).optional(),
  details: z
    .enum(['true', 'false'])
    .optional()
    .describe('overview: also next response, waiting and handling times (they cost a little more)'),
  hours: z
    .enum(['calendar', 'business'])
    .default('calendar')
    .describe("business: durations count only the channel's working hours"),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const timeseriesQuerySchema = reportQuerySchema.extend({
  metric: z.enum(TIMESERIES_METRICS),
  interval: z.enum(REPORT_INTERVALS).default('day'),
});
export type TimeseriesQuery = z.infer<typeof timeseriesQuerySchema>;

export const durationStatsSchema = z.object({
  count: z.number().int(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type DurationStats = z.infer<typeof durationStatsSchema>;

const spreadSchema = z.object({ median: z.number().nullable(), p90: z.number().nullable() });

export const overviewSchema = z.object({
  conversations: z.object({
    created: z.number().int(),
    resolved: z.number().int(),
    reopened: z.number().int(),
    openAtEnd: z.number().int(),
  }),
  messages: z.object({
    inbound: z.number().int(),
    outbound: z.number().int(),
    automatic: z.number().int(),
    notes: z.number().int(),
  }),
  firstResponse: durationStatsSchema,
  resolution: durationStatsSchema,
  nextResponse: durationStatsSchema.optional().describe('with details=true'),
  waiting: durationStatsSchema.optional().describe('with details=true'),
  handling: durationStatsSchema.optional().describe('with details=true'),
  csat: z.object({ responses: z.number().int(), average: z.number().nullable() }),
  sla: z
    .object({
      policies: z.number().int().describe('active SLA policies now'),
      measured: z.number().int().describe('SLA targets decided in the period (met + breached)'),
      met: z.number().int(),
      breached: z.number().int(),
      metPercent: z
        .number()
        .nullable()
        .describe('met / measured × 100, one decimal; null with none measured'),
    })
    .describe('docs/metrics.md, "SLA"'),
  period: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
});
export type ReportOverview = z.infer<typeof overviewSchema>;

export const timeseriesSchema = z.object({
  metric: z.enum(TIMESERIES_METRICS),
  interval: z.enum(REPORT_INTERVALS),
  data: z.array(z.object({ t: z.string(), value: z.number().nullable() })),
});
export type ReportTimeseries = z.infer<typeof timeseriesSchema>;

export const operatorRowSchema = z.object({
  userId: z.string(),
  name: z.string(),
  conversations: z.number().int(),
  replies: z.number().int(),
  firstResponse: spreadSchema,
  resolution: spreadSchema,
  csat: z.number().nullable(),
  onlineSeconds: z.number().int(),
  awaySeconds: z.number().int(),
});
export type OperatorRow = z.infer<typeof operatorRowSchema>;
export const operatorsReportSchema = z.object({ data: z.array(operatorRowSchema) });

export const channelRowSchema = z.object({
  channelId: z.string(),
  name: z.string(),
  type: z.string(),
  created: z.number().int(),
  resolved: z.number().int(),
  inbound: z.number().int(),
  outbound: z.number().int(),
  firstResponse: spreadSchema,
  resolution: spreadSchema,
  csat: z.number().nullable(),
});
export type ChannelRow = z.infer<typeof channelRowSchema>;
export const channelsReportSchema = z.object({ data: z.array(channelRowSchema) });

export const heatmapCellSchema = z.object({
  weekday: z.number().int().min(0).max(6).describe('0 = Monday … 6 = Sunday, local'),
  hour: z.number().int().min(0).max(23),
  inbound: z.number().int(),
  conversations: z.number().int(),
});
export const heatmapSchema = z.object({ data: z.array(heatmapCellSchema) });
export type ReportHeatmap = z.infer<typeof heatmapSchema>;

export const SLA_GROUPS = ['policy', 'team', 'operator'] as const;
export const slaReportQuerySchema = reportQuerySchema.extend({
  group: z.enum(SLA_GROUPS).default('policy'),
});
export const slaRowSchema = z.object({
  id: z.string().nullable().describe('the policy, team or operator; null: no team / nobody credited'),
  name: z.string().nullable(),
  measured: z.number().int(),
  met: z.number().int(),
  breached: z.number().int(),
  metPercent: z.number().nullable(),
});
export type SlaRow = z.infer<typeof slaRowSchema>;
export const slaReportSchema = z.object({ group: z.enum(SLA_GROUPS), data: z.array(slaRowSchema) });
export type SlaReport = z.infer<typeof slaReportSchema>;

export const REPORT_NAMES = ['overview', 'timeseries', 'operators', 'channels', 'heatmap'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Upper bounds (seconds) of the duration distribution bars; the last bar is everything longer. */
export const DISTRIBUTION_BOUNDS = [60, 300, 900, 3600, 14_400, 86_400] as const;

export const distributionQuerySchema = reportQuerySchema.extend({
  kind: z.enum(['first_response', 'resolution']).default('first_response'),
});
export const distributionSchema = z.object({
  data: z.array(
    z.object({
      from: z.number().describe('seconds, inclusive'),
      to: z.number().nullable().describe('seconds, exclusive; null = no upper bound'),
      count: z.number().int(),
    }),
  ),
});
export type ReportDistribution = z.infer<typeof distributionSchema>;
