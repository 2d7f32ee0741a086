import { AUTOMATION_EVENTS, type AutomationEvent, type AutomationRule } from '@switchboard/shared';
import {
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { ActionRow } from './action-row.tsx';
import { useRuleMutations } from './automation-api.ts';
import { ConditionRow } from './condition-row.tsx';
import {
  type DelayUnit,
  type RuleDraft,
  emptyDraft,
  fromRule,
  isTimed,
  newAction,
  newCondition,
  toInput,
} from './rule-draft.ts';

/** Builds a rule with inputs only (no JSON); the server's validation message is shown as it answers. */
export function RuleForm({ rule, onDone }: { rule: AutomationRule | null; onDone(): void }) {
  const { t } = useI18n();
  const [d, setD] = useState<RuleDraft>(() => (rule ? fromRule(rule) : emptyDraft()));
  const { save } = useRuleMutations();
  const set = (patch: Partial<RuleDraft>) => setD((x) => ({ ...x, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ ruleId: rule?.id ?? null, body: toInput(d) }, { onSuccess: onDone });
  };
  const events = AUTOMATION_EVENTS.map((x) => ({
    value: x,
    label: t(`automation.event.${x}` as MessageKey),
  }));
  return (
    <form onSubmit={submit} data-testid="rule-form">
      <Stack maw={1000}>
        <Title order={2} size="h4">
          {t(rule ? 'automation.form.editTitle' : 'automation.form.newTitle')}
        </Title>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('automation.form.name')}
            value={d.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            required
            miw={280}
            data-testid="rule-name"
          />
          <Select
            label={t('automation.form.event')}
            data={events}
            value={d.event}
            allowDeselect={false}
            miw={300}
            onChange={(x) => x && set({ event: x as AutomationEvent })}
            data-testid="rule-event"
          />
          {isTimed(d.event) && (
            <>
              <NumberInput
                label={t('automation.form.delay')}
                value={d.delay}
                min={1}
                w={110}
                onChange={(v) => set({ delay: typeof v === 'number' ? v : '' })}
                data-testid="rule-delay"
              />
              <Select
                aria-label={t('automation.form.delay')}
                data={(['minutes', 'hours', 'days'] as const).map((u) => ({
                  value: u,
                  label: t(`automation.form.unit.${u}`),
                }))}
                value={d.delayUnit}
                allowDeselect={false}
                w={120}
                onChange={(u) => u && set({ delayUnit: u as DelayUnit })}
                data-testid="rule-delay-unit"
              />
            </>
          )}
          <Switch
            label={t('automation.enabled')}
            checked={d.enabled}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
          />
        </Group>

        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>{t('automation.form.conditions')}</Text>
              <Group gap="xs">
                <Text size="sm" id="rule-match-label">
                  {t('automation.form.match')}
                </Text>
                <SegmentedControl
                  aria-labelledby="rule-match-label"
                  value={d.match}
                  onChange={(m) => set({ match: m as 'all' | 'any' })}
                  data={[
                    { value: 'all', label: t('automation.form.match.all') },
                    { value: 'any', label: t('automation.form.match.any') },
                  ]}
                  data-testid="rule-match"
                />
              </Group>
            </Group>
            {d.conditions.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('automation.form.noConditions')}
              </Text>
            )}
            {d.conditions.map((c, i) => (
              <ConditionRow
                key={c.key}
                index={i}
                value={c}
                onChange={(nc) => set({ conditions: d.conditions.map((x) => (x.key === c.key ? nc : x)) })}
                onRemove={() => set({ conditions: d.conditions.filter((x) => x.key !== c.key) })}
              />
            ))}
            <Group>
              <Button
                variant="light"
                onClick={() => set({ conditions: [...d.conditions, newCondition()] })}
                data-testid="add-condition"
              >
                {t('automation.form.addCondition')}
              </Button>
            </Group>
          </Stack>
        </Paper>

        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Text fw={600}>{t('automation.form.actions')}</Text>
            {d.actions.map((a, i) => (
              <ActionRow
                key={a.key}
                index={i}
                value={a}
                onChange={(na) => set({ actions: d.actions.map((x) => (x.key === a.key ? na : x)) })}
                onRemove={() => set({ actions: d.actions.filter((x) => x.key !== a.key) })}
              />
            ))}
            <Group>
              <Button
                variant="light"
                onClick={() => set({ actions: [...d.actions, newAction()] })}
                data-testid="add-action"
              >
                {t('automation.form.addAction')}
              </Button>
            </Group>
          </Stack>
        </Paper>

        {save.isError && <ErrorAlert error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending} data-testid="rule-save">
            {t('automation.form.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
