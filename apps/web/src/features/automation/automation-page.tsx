import type { AutomationRule } from '@switchboard/shared';
import { Button, Group, Loader, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { useRuleMutations, useRules } from './automation-api.ts';
import { ExecutionsPanel } from './executions-panel.tsx';
import { RuleForm } from './rule-form.tsx';

/** `/admin/automation`: the account's rules in order, switched on and off, edited, and their runs. */
export function AutomationPage() {
  const { t } = useI18n();
  const rules = useRules();
  const { toggle, order, remove } = useRuleMutations();
  const [editing, setEditing] = useState<AutomationRule | 'new' | null>(null);
  const [runsOf, setRunsOf] = useState<AutomationRule | null>(null);
  if (editing) return <RuleForm rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;
  const list = rules.data ?? [];
  const move = (i: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id);
    [ids[i], ids[i + by]] = [ids[i + by]!, ids[i]!];
    order.mutate(ids);
  };
  return (
    <Stack maw={1000} data-testid="automation-page">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t('automation.title')}
        </Title>
        <Button onClick={() => setEditing('new')} data-testid="rule-new">
          {t('automation.new')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('automation.intro')}
      </Text>
      {rules.isPending && <Loader aria-label={t('common.loading')} />}
      {rules.isError && <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />}
      {[toggle, order, remove].map((m, i) => m.isError && <ErrorAlert key={String(i)} error={m.error} />)}
      {rules.data?.length === 0 && <Text c="dimmed">{t('automation.empty')}</Text>}
      {list.map((r, i) => (
        <Paper key={r.id} withBorder p="sm" data-testid="rule-card">
          <Group justify="space-between" wrap="wrap">
            <Stack gap={2}>
              <Text fw={600} data-testid="rule-card-name">
                {r.name}
              </Text>
              <Text size="sm" c="dimmed">
                {t(`automation.event.${r.event}` as MessageKey)}
                {' → '}
                {r.actions.map((a) => t(`automation.action.${a.type}` as MessageKey)).join(', ')}
              </Text>
            </Stack>
            <Group gap="xs">
              <Switch
                label={t('automation.enabled')}
                checked={r.enabled}
                onChange={(e) => toggle.mutate({ ruleId: r.id, enabled: e.currentTarget.checked })}
                data-testid="rule-enabled"
              />
              <Button size="compact-sm" variant="subtle" disabled={i === 0} onClick={() => move(i, -1)}>
                {t('automation.up')}
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                disabled={i === list.length - 1}
                onClick={() => move(i, 1)}
              >
                {t('automation.down')}
              </Button>
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => setRunsOf(r)}
                data-testid="rule-runs-open"
              >
                {t('automation.runs')}
              </Button>
              <Button size="compact-sm" variant="light" onClick={() => setEditing(r)} data-testid="rule-edit">
                {t('automation.edit')}
              </Button>
              <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(r.id)}>
                {t('automation.delete')}
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
      <ExecutionsPanel rule={runsOf} onClose={() => setRunsOf(null)} />
    </Stack>
  );
}
