import type {
  ChannelRow,
  OperatorRow,
  ReportDistribution,
  ReportHeatmap,
  ReportOverview,
  ReportTimeseries,
  SLA_GROUPS,
  SlaReport,
  TimeseriesMetric,
} from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Period } from './report-period.ts';

export interface ReportFilters {
  channel?: string;
  team?: string;
  operator?: string;
  label?: string;
}

export type ReportParams = Period & ReportFilters;

const params = (p: ReportParams, extra: Record<string, string | undefined> = {}) =>
  qs({
    from: p.from,
    to: p.to,
    tz: p.tz,
    channel: p.channel,
    team: p.team,
    operator: p.operator,
    label: p.label,
    ...extra,
  });

export function useOverview(p: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'overview', p],
    queryFn: () => get<ReportOverview>(`/api/v1/reports/overview${params(p)}`),
  });
}

export function useTimeseries(p: ReportParams, metric: TimeseriesMetric, interval: string) {
  return useQuery({
    queryKey: ['reports', 'timeseries', p, metric, interval],
    queryFn: () => get<ReportTimeseries>(`/api/v1/reports/timeseries${params(p, { metric, interval })}`),
  });
}

export function useDistribution(p: ReportParams, kind: 'first_response' | 'resolution') {
  return useQuery({
    queryKey: ['reports', 'distribution', p, kind],
    queryFn: () => get<ReportDistribution>(`/api/v1/reports/distribution${params(p, { kind })}`),
  });
}

export function useHeatmap(p: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'heatmap', p],
    queryFn: () => get<ReportHeatmap>(`/api/v1/reports/heatmap${params(p)}`),
  });
}

export function useOperatorsReport(p: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'operators', p],
    queryFn: () => get<{ data: OperatorRow[] }>(`/api/v1/reports/operators${params(p)}`).then((r) => r.data),
  });
}

export function useChannelsReport(p: ReportParams) {
  return useQuery({
    queryKey: ['reports', 'channels', p],
    queryFn: () => get<{ data: ChannelRow[] }>(`/api/v1/reports/channels${params(p)}`).then((r) => r.data),
  });
}

/** The download link of a report file (same filters). */
export function exportHref(p: ReportParams, name: string, format: 'csv' | 'xlsx', metric?: string): string {
  return `/api/v1/reports/${name}/export${params(p, { format, metric })}`;
}

export type SlaGroup = (typeof SLA_GROUPS)[number];

export function useSlaReport(p: ReportParams, group: SlaGroup) {
  return useQuery({
    queryKey: ['reports', 'sla', p, group],
    queryFn: () => get<SlaReport>(`/api/v1/reports/sla${params(p, { group })}`).then((r) => r.data),
  });
}

/**
 * The conversations behind an SLA figure: targets breached in the period, under the report's filters.
 * Team and operator filters name the team and operator the target was counted for (slaTeam,
 * slaOperator), as the SLA report groups them.
 */
export function slaDrill(
  p: ReportParams,
  range: { from: number; to: number },
  group: Partial<Record<SlaGroup, string>> = {},
): Record<string, string | number | undefined> {
  return {
    slaBreached: 'true',
    slaFrom: range.from,
    slaTo: range.to,
    channel: p.channel,
    label: p.label,
    slaPolicy: group.policy,
    slaTeam: group.team ?? p.team,
    slaOperator: group.operator ?? p.operator,
  };
}
