import {
  Anchor,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { MentionsReport } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { get, qs } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { Chart } from '../reports/chart.tsx';
import { PRESETS, type Preset, periodMs, periodOf } from '../reports/report-period.ts';
import { fillDays } from './mentions-days.ts';

const SHOWN = 100;

/**
 * Reports › Who mentioned: a word or phrase (all its forms, GET /search/mentions), how many messages,
 * conversations and customers by day, and the customers themselves, with the full list as CSV.
 */
export function MentionsPage() {
  const { t, fmt } = useI18n();
  const channels = useChannels();
  const [input, setInput] = useState('');
  const [q] = useDebouncedValue(input.trim(), 400);
  const [preset, setPreset] = useState<Preset>('30d');
  const [channel, setChannel] = useState<string | null>(null);
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const period = periodOf(preset);
  const range = periodMs(period);
  const params = { q, from: range.from, to: range.to, channel: channel ?? undefined, direction };
  const report = useQuery({
    queryKey: ['mentions', params],
    queryFn: () => get<MentionsReport>(`/api/v1/search/mentions${qs({ ...params, customersLimit: SHOWN })}`),
    enabled: q.length > 0,
  });
  const r = report.data;
  const days = r
    ? fillDays(period.from, period.to, r.byDay, (day) => ({
        day,
        messages: 0,
        conversations: 0,
        customers: 0,
      }))
    : [];
  const dayLabel = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return fmt.when(new Date(y, m - 1, d, 12).getTime());
  };
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 36, right: 8, top: 8, bottom: 48 },
    xAxis: { type: 'category', data: days.map((d) => dayLabel(d.day)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('mentions.series.messages'), type: 'bar', data: days.map((d) => d.messages) },
      { name: t('mentions.series.customers'), type: 'line', data: days.map((d) => d.customers) },
    ],
  };

  return (
    <Stack maw={1200} data-testid="mentions-page">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          {t('mentions.title')}
        </Title>
        <Anchor
          size="sm"
          href="/reports"
          onClick={(e) => {
            e.preventDefault();
            navigate('/reports');
          }}
        >
          {t('mentions.back')}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <TextInput
          label={t('mentions.query')}
          description={t('mentions.queryHint')}
          value={input}
          onChange={(e) => setInput(e.currentTarget.value)}
          data-testid="mentions-query"
        />
        <Select
          label={t('reports.filter.period')}
          data={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))}
          value={preset}
          onChange={(v) => v && setPreset(v as Preset)}
          allowDeselect={false}
          data-testid="mentions-period"
        />
        <Select
          label={t('reports.filter.channel')}
          placeholder={t('reports.filter.all')}
          data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={channel}
          onChange={setChannel}
          clearable
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('mentions.direction')}
          </Text>
          <SegmentedControl
            aria-label={t('mentions.direction')}
            value={direction}
            onChange={(v) => setDirection(v === 'out' ? 'out' : 'in')}
            data={[
              { value: 'in', label: t('mentions.direction.in') },
              { value: 'out', label: t('mentions.direction.out') },
            ]}
          />
        </Stack>
      </SimpleGrid>
      {!q && <Text c="dimmed">{t('mentions.prompt')}</Text>}
      {q && report.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {report.isError && <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />}
      {r && (
        <>
          <Group justify="space-between" align="center">
            <Text fw={600} data-testid="mentions-totals">
              {t('mentions.totals', {
                messages: fmt.number(r.totals.messages),
                conversations: fmt.number(r.totals.conversations),
                customers: fmt.number(r.totals.customers),
              })}
            </Text>
            <Anchor
              size="sm"
              href={`/api/v1/search/mentions/customers.csv${qs(params)}`}
              data-testid="mentions-export"
            >
              {t('mentions.export')}
            </Anchor>
          </Group>
          <Paper withBorder p="sm">
            <Text fw={700} size="sm" mb="xs">
              {t('mentions.chart')}
            </Text>
            <Chart option={option} testId="chart-mentions" label={t('mentions.chart')} />
            <Text size="xs" c="dimmed">
              {t('mentions.timeZone', { tz: r.timeZone })}
            </Text>
          </Paper>
          <Paper withBorder p="sm">
            <Text fw={700} size="sm" mb="xs">
              {t('mentions.customers')}
            </Text>
            {r.customers.length === 0 ? (
              <Text c="dimmed">{t('mentions.none')}</Text>
            ) : (
              <ScrollArea type="auto">
                <Table striped miw={560} data-testid="mentions-customers">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('mentions.col.customer')}</Table.Th>
                      <Table.Th>{t('mentions.col.contact')}</Table.Th>
                      <Table.Th>{t('mentions.col.messages')}</Table.Th>
                      <Table.Th>{t('mentions.col.conversations')}</Table.Th>
                      <Table.Th>{t('mentions.col.last')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.customers.map((c) => (
                      <Table.Tr key={c.contactId} data-testid="mentions-customer">
                        <Table.Td>{c.name ?? t('reports.drill.noName')}</Table.Td>
                        <Table.Td>{c.phone ?? c.email ?? '—'}</Table.Td>
                        <Table.Td>{fmt.number(c.messages)}</Table.Td>
                        <Table.Td>{fmt.number(c.conversations)}</Table.Td>
                        <Table.Td>{fmt.when(c.lastAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            )}
            {r.customersTotal > r.customers.length && (
              <Text size="xs" c="dimmed" mt={4}>
                {t('mentions.more', { shown: r.customers.length, total: r.customersTotal })}
              </Text>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
