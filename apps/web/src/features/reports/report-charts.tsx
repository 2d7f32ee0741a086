import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { ReportTimeseries } from '@switchboard/shared';
import { useChannels } from '../../api/directory.ts';
import { get, qs } from '../../api/http.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Chart } from './chart.tsx';
import type { DrillDown } from './drill-down-drawer.tsx';
import { formatSeconds } from './report-format.ts';
import { intervalFor } from './report-period.ts';
import { type ReportParams, useDistribution, useHeatmap } from './reports-api.ts';

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={700} size="sm" mb="xs">
        {title}
      </Text>
      {children}
    </Paper>
  );
}

/** Conversations over time by channel, FRT and resolution distributions, the load heat map. */
export function ReportCharts({ params, onDrill }: { params: ReportParams; onDrill: (d: DrillDown) => void }) {
  const { t, fmt } = useI18n();
  const channels = useChannels();
  const interval = intervalFor(params);
  const shown = (channels.data ?? []).filter((c) => !params.channel || c.id === params.channel);
  const series = useQueries({
    queries: shown.map((c) => ({
      queryKey: ['reports', 'timeseries', params, 'conversations_created', interval, c.id],
      queryFn: () =>
        get<ReportTimeseries>(
          `/api/v1/reports/timeseries${qs({ ...params, channel: c.id, metric: 'conversations_created', interval })}`,
        ),
    })),
  });
  const csat = useQuery({
    queryKey: ['reports', 'timeseries', params, 'csat_average', interval],
    queryFn: () =>
      get<ReportTimeseries>(
        `/api/v1/reports/timeseries${qs({ ...params, metric: 'csat_average', interval })}`,
      ),
  });
  const frt = useDistribution(params, 'first_response');
  const resolution = useDistribution(params, 'resolution');
  const heat = useHeatmap(params);
  const weekdays = t('reports.weekdays').split(',');

  const buckets = series.find((s) => s.data)?.data?.data.map((d) => d.t) ?? [];
  const label = (iso: string) => {
    const ms = Date.parse(iso);
    return interval === 'hour' ? fmt.time(ms) : fmt.when(ms);
  };
  const overTime = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 36, right: 8, top: 8, bottom: 48 },
    xAxis: { type: 'category', data: buckets.map(label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: shown.map((c, i) => ({
      name: c.name,
      type: 'bar',
      stack: 'all',
      data: series[i]?.data?.data.map((d) => d.value ?? 0) ?? [],
    })),
  };
  const distribution = (data: { from: number; to: number | null; count: number }[] | undefined) => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 36, right: 8, top: 8, bottom: 28 },
    xAxis: {
      type: 'category',
      data: (data ?? []).map((b) =>
        b.to === null ? `> ${formatSeconds(t, b.from)}` : `< ${formatSeconds(t, b.to)}`,
      ),
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: (data ?? []).map((b) => b.count) }],
  });
  const cells = heat.data?.data ?? [];
  const heatOption = {
    tooltip: { position: 'top' },
    grid: { left: 40, right: 8, top: 8, bottom: 56 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)) },
    yAxis: { type: 'category', data: weekdays, inverse: true },
    visualMap: {
      min: 0,
      max: Math.max(1, ...cells.map((c) => c.inbound)),
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      calculable: false,
      itemHeight: 80,
    },
    series: [{ type: 'heatmap', data: cells.map((c) => [c.hour, c.weekday, c.inbound]) }],
  };

  const csatBuckets = csat.data?.data ?? [];
  const csatOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 36, right: 8, top: 8, bottom: 28 },
    xAxis: { type: 'category', data: csatBuckets.map((d) => label(d.t)) },
    yAxis: { type: 'value', min: 1, max: 5, interval: 1 },
    series: [
      {
        name: t('reports.chart.csat'),
        type: 'line',
        connectNulls: true,
        symbolSize: 8,
        data: csatBuckets.map((d) => (d.value === null ? null : Math.round(d.value * 100) / 100)),
      },
    ],
  };
  /** A point of the CSAT trend opens that bucket's conversations rated below 4. */
  const drillCsat = (index: number) => {
    const start = csatBuckets[index]?.t;
    if (!start) return;
    const next = csatBuckets[index + 1]?.t;
    onDrill({
      title: `${t('reports.drill.csatBelow')} · ${label(start)}`,
      query: {
        channel: params.channel,
        team: params.team,
        label: params.label,
        assignee: params.operator,
        csatBelow: 4,
        resolvedFrom: Date.parse(start),
        resolvedTo: next ? Date.parse(next) : Date.parse(start) + 86_400_000 * (interval === 'week' ? 7 : 1),
      },
    });
  };

  const drillCreated = (index: number, channelName?: string) => {
    const start = buckets[index];
    if (!start) return;
    const next = buckets[index + 1];
    const channel = shown.find((c) => c.name === channelName)?.id;
    onDrill({
      title: `${t('reports.card.created')} · ${label(start)}${channelName ? ` · ${channelName}` : ''}`,
      query: {
        channel: channel ?? params.channel,
        team: params.team,
        label: params.label,
        createdFrom: Date.parse(start),
        createdTo: next ? Date.parse(next) : Date.parse(start) + 86_400_000 * (interval === 'week' ? 7 : 1),
      },
    });
  };

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Panel title={t('reports.chart.overTime')}>
        <Chart
          option={overTime}
          testId="chart-over-time"
          label={t('reports.chart.overTime')}
          onClick={(e) => drillCreated(e.dataIndex, e.seriesName)}
        />
      </Panel>
      <Panel title={t('reports.chart.heatmap')}>
        <Chart option={heatOption} testId="chart-heatmap" label={t('reports.chart.heatmap')} />
      </Panel>
      <Panel title={t('reports.chart.frt')}>
        <Chart option={distribution(frt.data?.data)} testId="chart-frt" label={t('reports.chart.frt')} />
      </Panel>
      <Panel title={t('reports.chart.csat')}>
        <Chart
          option={csatOption}
          testId="chart-csat"
          label={t('reports.chart.csat')}
          onClick={(e) => drillCsat(e.dataIndex)}
        />
      </Panel>
      <Panel title={t('reports.chart.resolution')}>
        <Chart
          option={distribution(resolution.data?.data)}
          testId="chart-resolution"
          label={t('reports.chart.resolution')}
        />
      </Panel>
    </SimpleGrid>
  );
}
