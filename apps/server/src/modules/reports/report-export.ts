import { PassThrough } from 'node:stream';
import type {
  ChannelRow,
  OperatorRow,
  ReportHeatmap,
  ReportOverview,
  ReportTimeseries,
} from '@switchboard/shared';
import { ZonedTime } from '../../lib/zoned-time.ts';
import type { ExportFormat } from '@switchboard/shared';
import type { Cell, Column } from '../export/export-spec.ts';
import { createRowWriter } from '../export/export-writer.ts';

export interface ReportTable {
  name: string;
  columns: Column[];
  rows: Cell[][];
}

const text = (header: string, width = 24): Column => ({ header, type: 'text', width });
const num = (header: string, width = 14): Column => ({ header, type: 'number', width });

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function overviewTable(o: ReportOverview): ReportTable {
  const rows: Cell[][] = [
    ['conversations.created', o.conversations.created],
    ['conversations.resolved', o.conversations.resolved],
    ['conversations.reopened', o.conversations.reopened],
    ['conversations.openAtEnd', o.conversations.openAtEnd],
    ['messages.inbound', o.messages.inbound],
    ['messages.outbound', o.messages.outbound],
    ['messages.automatic', o.messages.automatic],
    ['messages.notes', o.messages.notes],
  ];
  for (const key of ['firstResponse', 'nextResponse', 'resolution', 'waiting', 'handling'] as const) {
    const d = o[key];
    if (d) rows.push([`${key}.count`, d.count], [`${key}.median`, d.median], [`${key}.p90`, d.p90]);
  }
  rows.push(['csat.responses', o.csat.responses], ['csat.average', o.csat.average]);
  rows.push(
    ['sla.policies', o.sla.policies],
    ['sla.measured', o.sla.measured],
    ['sla.met', o.sla.met],
    ['sla.breached', o.sla.breached],
    ['sla.metPercent', o.sla.metPercent],
  );
  return { name: 'Overview', columns: [text('figure', 28), num('value (seconds for times)', 26)], rows };
}

export function timeseriesTable(t: ReportTimeseries): ReportTable {
  return {
    name: t.metric,
    columns: [text('t', 28), num(t.metric, 24)],
    rows: t.data.map((d) => [d.t, d.value]),
  };
}

export function operatorsTable(rows: OperatorRow[]): ReportTable {
  return {
    name: 'Operators',
    columns: [
      text('userId', 38),
      text('name'),
      num('conversations'),
      num('replies'),
      num('firstResponse.median'),
      num('firstResponse.p90'),
      num('resolution.median'),
      num('resolution.p90'),
      num('csat'),
      num('onlineSeconds'),
      num('awaySeconds'),
    ],
    rows: rows.map((r) => [
      r.userId,
      r.name,
      r.conversations,
      r.replies,
      r.firstResponse.median,
      r.firstResponse.p90,
      r.resolution.median,
      r.resolution.p90,
      r.csat,
      r.onlineSeconds,
      r.awaySeconds,
    ]),
  };
}

export function channelsTable(rows: ChannelRow[]): ReportTable {
  return {
    name: 'Channels',
    columns: [
      text('channelId', 38),
      text('name'),
      text('type', 12),
      num('created'),
      num('resolved'),
      num('inbound'),
      num('outbound'),
      num('firstResponse.median'),
      num('firstResponse.p90'),
      num('resolution.median'),
      num('resolution.p90'),
      num('csat'),
    ],
    rows: rows.map((r) => [
      r.channelId,
      r.name,
      r.type,
      r.created,
      r.resolved,
      r.inbound,
      r.outbound,
      r.firstResponse.median,
      r.firstResponse.p90,
      r.resolution.median,
      r.resolution.p90,
      r.csat,
    ]),
  };
}

export function heatmapTable(h: ReportHeatmap): ReportTable {
  return {
    name: 'Heatmap',
    columns: [text('weekday', 10), num('hour', 8), num('inbound'), num('conversations')],
    rows: h.data.map((c) => [WEEKDAYS[c.weekday]!, c.hour, c.inbound, c.conversations]),
  };
}

/** The table as a file, through the export pipeline's writers (formula-safe CSV, streamed XLSX). */
export async function renderTable(t: ReportTable, format: ExportFormat, timeZone: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const writer = createRowWriter(format, out, t.name.slice(0, 31), t.columns, new ZonedTime(timeZone));
  await writer.write(t.rows);
  await writer.end();
  if (!out.writableEnded) out.end();
  await done;
  return Buffer.concat(chunks);
}
