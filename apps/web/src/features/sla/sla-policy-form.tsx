import {
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useChannels, useTeams } from '../../api/directory.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type SlaDraft, SLA_UNITS, type SlaUnit, TARGETS, type TargetKey, draftProblem } from './sla-form.ts';

/** Create or edit one policy: its targets, working-hours switch and the conversations it applies to. */
export function SlaPolicyForm({
  initial,
  editingName,
  saving,
  onSave,
  onCancel,
}: {
  initial: SlaDraft;
  editingName: string | null;
  saving: boolean;
  onSave: (d: SlaDraft) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const channels = useChannels();
  const teams = useTeams();
  const [d, setD] = useState<SlaDraft>(initial);
  const [tried, setTried] = useState(false);
  const problem = draftProblem(d);
  const setTarget = (k: TargetKey, v: Partial<SlaDraft['targets'][TargetKey]>) =>
    setD((x) => ({ ...x, targets: { ...x.targets, [k]: { ...x.targets[k], ...v } } }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!problem) onSave(d);
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} data-testid="sla-form" noValidate>
        <Stack gap="sm">
          {editingName !== null && (
            <Title order={2} size="h5">
              {t('sla.editing', { name: editingName })}
            </Title>
          )}
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t('sla.name')}
              value={d.name}
              onChange={(e) => {
                const name = e.currentTarget.value;
                setD((x) => ({ ...x, name }));
              }}
              w={320}
              data-testid="sla-name"
            />
            <Switch
              label={t('sla.active')}
              checked={d.active}
              onChange={(e) => {
                const active = e.currentTarget.checked;
                setD((x) => ({ ...x, active }));
              }}
              data-testid="sla-active"
            />
          </Group>
          {TARGETS.map((k) => (
            <Group key={k} align="flex-end" gap="xs" wrap="wrap" data-testid={`sla-target-${k}`}>
              <NumberInput
                label={t(`sla.target.${k}`)}
                value={d.targets[k].amount}
                min={0}
                max={9999}
                decimalScale={2}
                onChange={(v) => setTarget(k, { amount: v === '' ? '' : Number(v) })}
                w={240}
                data-testid={`sla-${k}-amount`}
              />
              <Select
                aria-label={`${t(`sla.target.${k}`)}: ${t('sla.unit')}`}
                value={d.targets[k].unit}
                allowDeselect={false}
                onChange={(v) => v && setTarget(k, { unit: v as SlaUnit })}
                data={SLA_UNITS.map((u) => ({ value: u, label: t(`sla.unit.${u}`) }))}
                w={120}
                data-testid={`sla-${k}-unit`}
              />
            </Group>
          ))}
          <Text size="xs" c="dimmed">
            {t('sla.targetHint')}
          </Text>
          <Switch
            label={t('sla.businessHours')}
            description={t('sla.businessHoursHint')}
            checked={d.businessHours}
            onChange={(e) => {
              const businessHours = e.currentTarget.checked;
              setD((x) => ({ ...x, businessHours }));
            }}
            data-testid="sla-business-hours"
          />
          <Text size="sm" fw={500}>
            {t('sla.appliesTo')}
          </Text>
          <Group align="flex-start" wrap="wrap" grow>
            <MultiSelect
              label={t('sla.channels')}
              placeholder={d.channelIds.length ? undefined : t('sla.any')}
              value={d.channelIds}
              onChange={(channelIds) => setD((x) => ({ ...x, channelIds }))}
              data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              data-testid="sla-channels"
            />
            <MultiSelect
              label={t('sla.teams')}
              placeholder={d.teamIds.length ? undefined : t('sla.any')}
              value={d.teamIds}
              onChange={(teamIds) => setD((x) => ({ ...x, teamIds }))}
              data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              data-testid="sla-teams"
            />
            <TagsInput
              label={t('sla.labels')}
              placeholder={d.labels.length ? undefined : t('sla.any')}
              value={d.labels}
              onChange={(labels) => setD((x) => ({ ...x, labels }))}
              data-testid="sla-labels"
            />
          </Group>
          {tried && problem && (
            <Text size="sm" c="red" role="alert" data-testid="sla-problem">
              {t(`sla.problem.${problem}`)}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={saving} data-testid="sla-save">
              {editingName === null ? t('sla.add') : t('sla.save')}
            </Button>
            {editingName !== null && (
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
