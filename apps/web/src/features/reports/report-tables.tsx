import { Paper, ScrollArea, Table, Text } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import type { DrillDown } from './drill-down-drawer.tsx';
import { formatSeconds } from './report-format.ts';
import { periodMs } from './report-period.ts';
import { type ReportParams, useChannelsReport, useOperatorsReport } from './reports-api.ts';

/** Operators and channels, one row each; a row opens the conversations behind it. */
export function ReportTables({ params, onDrill }: { params: ReportParams; onDrill: (d: DrillDown) => void }) {
  const { t, fmt } = useI18n();
  const operators = useOperatorsReport(params);
  const channels = useChannelsReport(params);
  const { from, to } = periodMs(params);
  const clickable = { cursor: 'pointer' } as const;
  return (
    <>
      <Paper withBorder p="sm">
        <Text fw={700} size="sm" mb="xs">
          {t('reports.operators')}
        </Text>
        <ScrollArea type="auto">
          <Table striped highlightOnHover miw={640} data-testid="operators-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.col.operator')}</Table.Th>
                <Table.Th>{t('reports.col.conversations')}</Table.Th>
                <Table.Th>{t('reports.col.replies')}</Table.Th>
                <Table.Th>{t('reports.col.frt')}</Table.Th>
                <Table.Th>{t('reports.col.resolution')}</Table.Th>
                <Table.Th>{t('reports.col.online')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(operators.data ?? []).map((r) => (
                <Table.Tr
                  key={r.userId}
                  style={clickable}
                  data-testid={`operator-row-${r.userId}`}
                  onClick={() =>
                    onDrill({
                      title: `${r.name} · ${t('reports.col.conversations')}`,
                      query: {
                        assignee: r.userId,
                        resolvedFrom: from,
                        resolvedTo: to,
                        channel: params.channel,
                        team: params.team,
                        label: params.label,
                      },
                    })
                  }
                >
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{fmt.number(r.conversations)}</Table.Td>
                  <Table.Td>{fmt.number(r.replies)}</Table.Td>
                  <Table.Td>
                    {formatSeconds(t, r.firstResponse.median)} / {formatSeconds(t, r.firstResponse.p90)}
                  </Table.Td>
                  <Table.Td>
                    {formatSeconds(t, r.resolution.median)} / {formatSeconds(t, r.resolution.p90)}
                  </Table.Td>
                  <Table.Td>{formatSeconds(t, r.onlineSeconds)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        <Text size="xs" c="dimmed" mt={4}>
          {t('reports.medianP90')}
        </Text>
      </Paper>
      <Paper withBorder p="sm">
        <Text fw={700} size="sm" mb="xs">
          {t('reports.channels')}
        </Text>
        <ScrollArea type="auto">
          <Table striped highlightOnHover miw={640} data-testid="channels-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.col.channel')}</Table.Th>
                <Table.Th>{t('reports.card.created')}</Table.Th>
                <Table.Th>{t('reports.card.resolved')}</Table.Th>
                <Table.Th>{t('reports.card.inbound')}</Table.Th>
                <Table.Th>{t('reports.col.frt')}</Table.Th>
                <Table.Th>{t('reports.col.resolution')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(channels.data ?? []).map((r) => (
                <Table.Tr
                  key={r.channelId}
                  style={clickable}
                  data-testid={`channel-row-${r.channelId}`}
                  onClick={() =>
                    onDrill({
                      title: `${r.name} · ${t('reports.card.created')}`,
                      query: {
                        channel: r.channelId,
                        createdFrom: from,
                        createdTo: to,
                        team: params.team,
                        label: params.label,
                      },
                    })
                  }
                >
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{fmt.number(r.created)}</Table.Td>
                  <Table.Td>{fmt.number(r.resolved)}</Table.Td>
                  <Table.Td>{fmt.number(r.inbound)}</Table.Td>
                  <Table.Td>
                    {formatSeconds(t, r.firstResponse.median)} / {formatSeconds(t, r.firstResponse.p90)}
                  </Table.Td>
                  <Table.Td>
                    {formatSeconds(t, r.resolution.median)} / {formatSeconds(t, r.resolution.p90)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
    </>
  );
}
