import type { AutomationRule } from '@switchboard/shared';
import { Anchor, Badge, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { useExecutions } from './automation-api.ts';

const OUTCOME_COLOR: Record<string, string> = {
  applied: 'green',
  partial: 'yellow',
  failed: 'red',
  loop_blocked: 'gray',
  rate_limited: 'gray',
};

/** The log of one rule: when, which conversation, outcome and each action's result. */
export function ExecutionsPanel({ rule, onClose }: { rule: AutomationRule | null; onClose(): void }) {
  const { t, fmt } = useI18n();
  const runs = useExecutions(rule?.id ?? null);
  return (
    <Modal
      opened={rule !== null}
      onClose={onClose}
      size="xl"
      title={rule ? t('automation.runs.title', { name: rule.name }) : ''}
    >
      {runs.isPending && <Loader aria-label={t('common.loading')} />}
      {runs.isError && <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.data?.length === 0 && <Text c="dimmed">{t('automation.runs.empty')}</Text>}
      {runs.data && runs.data.length > 0 && (
        <Table data-testid="rule-runs">
          <Table.Tbody>
            {runs.data.map((r) => (
              <Table.Tr key={r.id} data-testid="rule-run">
                <Table.Td>{fmt.when(r.createdAt)}</Table.Td>
                <Table.Td>
                  {r.conversationId && (
                    <Anchor href={`/inbox/all/${encodeURIComponent(r.conversationId)}`}>
                      {t('automation.runs.conversation')}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={OUTCOME_COLOR[r.outcome] ?? 'gray'} data-testid="rule-run-outcome">
                    {t(`automation.outcome.${r.outcome}` as MessageKey)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="xs">
                      {r.actions
                        .map(
                          (a) =>
                            `${t(`automation.action.${a.type}` as MessageKey)}: ${t(`automation.result.${a.status}` as MessageKey)}`,
                        )
                        .join(' · ')}
                    </Text>
                    {r.error && (
                      <Text size="xs" c="red">
                        {r.error}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}
