import { Paper, ScrollArea, SegmentedControl, Table, Text } from '@mantine/core';
import type { SlaRow } from '@switchboard/shared';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { Chart } from './chart.tsx';
import type { DrillDown } from './drill-down-drawer.tsx';
import { formatPercent } from './report-format.ts';
import { periodMs } from './report-period.ts';
import { type ReportParams, type SlaGroup, slaDrill, useSlaReport } from './reports-api.ts';

const GROUPS: SlaGroup[] = ['policy', 'team', 'operator'];

/** SLA % met per policy, team or operator (GET /reports/sla); a bar or row opens its breached conversations. */
export function SlaPanel({ params, onDrill }: { params: ReportParams; onDrill: (d: DrillDown) => void }) {
  const { t, fmt, lang } = useI18n();
  const [group, setGroup] = useState<SlaGroup>('policy');
  const report = useSlaReport(params, group);
  const rows = report.data ?? [];
  const name = (r: SlaRow) => r.name ?? t(`reports.sla.none.${group}`);
  const drill = (r: SlaRow | undefined) => {
    // A row without an id (no team, nobody credited) has no filter that names it.
    if (!r?.id) return;
    onDrill({
      title: `${t('reports.drill.slaBreached')} · ${name(r)}`,
      query: slaDrill(params, periodMs(params), { [group]: r.id }),
    });
  };
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: { type: 'category', inverse: true, data: rows.map(name) },
    series: [
      {
        name: t('reports.sla.col.percent'),
        type: 'bar',
        data: rows.map((r) => r.metPercent),
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
  return (
    <Paper withBorder p="sm" data-testid="sla-panel">
      <Text fw={700} size="sm" mb="xs">
        {t('reports.chart.sla')}
      </Text>
      <SegmentedControl
        size="xs"
        mb="xs"
        aria-label={t('reports.sla.group')}
        value={group}
        onChange={(v) => setGroup(v as SlaGroup)}
        data={GROUPS.map((g) => ({ value: g, label: t(`reports.sla.group.${g}`) }))}
        data-testid="sla-group"
      />
      {report.data && rows.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="sla-empty">
          {t('reports.sla.empty')}
        </Text>
      ) : (
        <Chart
          option={option}
          height={Math.max(120, 40 + rows.length * 36)}
          testId="chart-sla"
          label={t('reports.chart.sla')}
          onClick={(e) => drill(rows[e.dataIndex])}
        />
      )}
      {rows.length > 0 && (
        <>
          <ScrollArea type="auto">
            <Table striped highlightOnHover miw={520} data-testid="sla-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`reports.sla.group.${group}`)}</Table.Th>
                  <Table.Th>{t('reports.sla.col.measured')}</Table.Th>
                  <Table.Th>{t('reports.sla.col.met')}</Table.Th>
                  <Table.Th>{t('reports.sla.col.breached')}</Table.Th>
                  <Table.Th>{t('reports.sla.col.percent')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr
                    key={r.id ?? ''}
                    style={r.id ? { cursor: 'pointer' } : undefined}
                    onClick={() => drill(r)}
                    data-testid="sla-table-row"
                  >
                    <Table.Td>{name(r)}</Table.Td>
                    <Table.Td>{fmt.number(r.measured)}</Table.Td>
                    <Table.Td>{fmt.number(r.met)}</Table.Td>
                    <Table.Td>{fmt.number(r.breached)}</Table.Td>
                    <Table.Td>{formatPercent(lang, r.metPercent)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Text size="xs" c="dimmed" mt={4}>
            {t('reports.sla.hint')}
          </Text>
        </>
      )}
    </Paper>
  );
}
