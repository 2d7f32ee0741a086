import { Anchor, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { ReportOverview } from '@switchboard/shared';
import { useState } from 'react';
import { useChannels, useTeams, useUsers } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { type DrillDown, DrillDownDrawer } from './drill-down-drawer.tsx';
import { ReportCharts } from './report-charts.tsx';
import { changeOf, formatPercent, formatSeconds } from './report-format.ts';
import { PRESETS, type Preset, periodMs, periodOf, previousPeriod } from './report-period.ts';
import { ReportTables } from './report-tables.tsx';
import { exportHref, type ReportParams, slaDrill, useOverview } from './reports-api.ts';
import { SlaPanel } from './sla-panel.tsx';

interface CardSpec {
  key: string;
  label: string;
  value: (o: ReportOverview) => number | null;
  show: (v: number | null) => string;
  /** For times a rise is bad news. */
  lowerIsBetter?: boolean;
  drill?: (range: { from: number; to: number }) => DrillDown['query'];
}

/** Reports for supervisors and admins: figures as docs/metrics.md defines them, over a chosen period. */
export function ReportsPage() {
  const { t, fmt, lang } = useI18n();
  const [preset, setPreset] = useState<Preset>('7d');
  const [channel, setChannel] = useState<string | null>(null);
  const [team, setTeam] = useState<string | null>(null);
  const [operator, setOperator] = useState<string | null>(null);
  const [labelInput, setLabelInput] = useState('');
  const [label] = useDebouncedValue(labelInput.trim(), 400);
  const [drill, setDrill] = useState<DrillDown | null>(null);
  const channels = useChannels();
  const teams = useTeams();
  const users = useUsers();

  const period = periodOf(preset);
  const filters = {
    channel: channel ?? undefined,
    team: team ?? undefined,
    operator: operator ?? undefined,
    label: label || undefined,
  };
  const params: ReportParams = { ...period, ...filters };
  const overview = useOverview(params);
  const before = useOverview({ ...previousPeriod(period), ...filters });
  const range = periodMs(period);
  const count = (v: number | null) => (v === null ? '—' : fmt.number(v));
  const seconds = (v: number | null) => formatSeconds(t, v);
  const base = { channel: filters.channel, team: filters.team, label: filters.label };

  const cards: CardSpec[] = [
    {
      key: 'created',
      label: t('reports.card.created'),
      value: (o) => o.conversations.created,
      show: count,
      drill: (r) => ({ ...base, assignee: filters.operator, createdFrom: r.from, createdTo: r.to }),
    },
    {
      key: 'resolved',
      label: t('reports.card.resolved'),
      value: (o) => o.conversations.resolved,
      show: count,
      drill: (r) => ({ ...base, assignee: filters.operator, resolvedFrom: r.from, resolvedTo: r.to }),
    },
    { key: 'open', label: t('reports.card.openAtEnd'), value: (o) => o.conversations.openAtEnd, show: count },
    { key: 'inbound', label: t('reports.card.inbound'), value: (o) => o.messages.inbound, show: count },
    {
      key: 'frt',
      label: t('reports.card.frt'),
      value: (o) => o.firstResponse.median,
      show: seconds,
      lowerIsBetter: true,
    },
    {
      key: 'resolution',
      label: t('reports.card.resolution'),
      value: (o) => o.resolution.median,
      show: seconds,
      lowerIsBetter: true,
    },
    {
      key: 'csat',
      label: t('reports.card.csat'),
      value: (o) => o.csat.average,
      show: (v) => (v === null ? '—' : t('reports.csatOf5', { v: fmt.number(Math.round(v * 10) / 10) })),
      // The card opens the unhappy customers: ratings below 4 of conversations resolved in the period.
      drill: (r) => ({
        ...base,
        assignee: filters.operator,
        csatBelow: 4,
        resolvedFrom: r.from,
        resolvedTo: r.to,
      }),
    },
    {
      key: 'sla',
      label: t('reports.card.sla'),
      value: (o) => o.sla.metPercent,
      show: (v) => formatPercent(lang, v),
      // The card opens the conversations whose targets were breached in the period.
      drill: (r) => slaDrill(params, r),
    },
  ];

  return (
    <Stack maw={1200} data-testid="reports-page">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          {t('reports.title')}
        </Title>
        <Group gap="xs">
          <Anchor
            size="sm"
            href="/reports/mentions"
            onClick={(e) => {
              e.preventDefault();
              navigate('/reports/mentions');
            }}
            data-testid="open-mentions"
          >
            {t('mentions.open')}
          </Anchor>
          <Text size="sm" c="dimmed">
            {t('reports.export')}
          </Text>
          <Anchor size="sm" href={exportHref(params, 'overview', 'xlsx')} data-testid="export-xlsx">
            XLSX
          </Anchor>
          <Anchor size="sm" href={exportHref(params, 'overview', 'csv')}>
            CSV
          </Anchor>
          <Anchor size="sm" href={exportHref(params, 'operators', 'xlsx')}>
            {t('reports.operators')} XLSX
          </Anchor>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Select
          label={t('reports.filter.period')}
          data={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))}
          value={preset}
          onChange={(v) => v && setPreset(v as Preset)}
          allowDeselect={false}
          data-testid="filter-period"
        />
        <Select
          label={t('reports.filter.channel')}
          placeholder={t('reports.filter.all')}
          data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={channel}
          onChange={setChannel}
          clearable
        />
        <Select
          label={t('reports.filter.team')}
          placeholder={t('reports.filter.all')}
          data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          value={team}
          onChange={setTeam}
          clearable
        />
        <Select
          label={t('reports.filter.operator')}
          placeholder={t('reports.filter.all')}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={operator}
          onChange={setOperator}
          clearable
          searchable
        />
        <TextInput
          label={t('reports.filter.label')}
          value={labelInput}
          onChange={(e) => setLabelInput(e.currentTarget.value)}
        />
      </SimpleGrid>
      {overview.isError && <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />}
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }}>
        {cards.map((c) => {
          const now = overview.data ? c.value(overview.data) : null;
          const prev = before.data ? c.value(before.data) : null;
          const change = changeOf(now, prev);
          const good = change === null || change === 0 ? null : change < 0 === Boolean(c.lowerIsBetter);
          return (
            <Paper
              key={c.key}
              withBorder
              p="sm"
              style={c.drill ? { cursor: 'pointer' } : undefined}
              onClick={c.drill ? () => setDrill({ title: c.label, query: c.drill!(range) }) : undefined}
              data-testid={`card-${c.key}`}
            >
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {c.label}
              </Text>
              <Text size="xl" fw={700} data-testid={`card-${c.key}-value`}>
                {overview.data ? c.show(now) : '…'}
              </Text>
              <Text size="xs" c={good === null ? 'dimmed' : good ? 'teal' : 'red'}>
                {change === null
                  ? t('reports.noChange')
                  : t('reports.change', { p: change > 0 ? `+${change}` : change })}
              </Text>
            </Paper>
          );
        })}
      </SimpleGrid>
      <ReportCharts params={params} onDrill={setDrill} />
      <SlaPanel params={params} onDrill={setDrill} />
      <ReportTables params={params} onDrill={setDrill} />
      <DrillDownDrawer drill={drill} onClose={() => setDrill(null)} />
    </Stack>
  );
}
