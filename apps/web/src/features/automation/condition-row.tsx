import {
  AUTOMATION_FIELDS,
  CONVERSATION_STATUSES,
  type ConditionOp,
  PRIORITIES,
  fieldSpec,
} from '@switchboard/shared';
import { Button, Group, MultiSelect, Paper, Select, TagsInput, TextInput } from '@mantine/core';
import { useChannels, useTeams, useUsers } from '../../api/directory.ts';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { type ConditionDraft, attributePrefix, opsOf, specField, valueKind } from './rule-draft.ts';

type Option = { value: string; label: string };

/** Choices for list values the account defines (channels, teams, operators) or the product fixes. */
function useListOptions(field: string): Option[] | null {
  const { t } = useI18n();
  const channels = useChannels();
  const teams = useTeams();
  const users = useUsers();
  if (field === 'channel.id') return (channels.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (field === 'conversation.team') return (teams.data ?? []).map((x) => ({ value: x.id, label: x.name }));
  if (field === 'conversation.assignee')
    return (users.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  if (field === 'conversation.status')
    return CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }));
  if (field === 'conversation.priority')
    return PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}` as MessageKey) }));
  return null;
}

export function ConditionRow({
  index,
  value: c,
  onChange,
  onRemove,
}: {
  index: number;
  value: ConditionDraft;
  onChange(c: ConditionDraft): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const options = useListOptions(c.field);
  const fields = Object.keys(AUTOMATION_FIELDS).map((f) => ({
    value: f,
    label: t(`automation.field.${f}` as MessageKey),
  }));
  const ops = opsOf(c.field).map((o) => ({ value: o, label: t(`automation.op.${o}` as MessageKey) }));
  const kind = valueKind(c.op);
  const words = fieldSpec(specField(c.field))?.words ?? [];
  const id = `cond-${index}`;
  return (
    <Paper withBorder p="xs" data-testid="condition-row">
      <Group align="flex-end" wrap="wrap" gap="xs">
        <Select
          label={t('automation.form.field')}
          data={fields}
          value={c.field}
          allowDeselect={false}
          onChange={(f) => f && onChange({ ...c, field: f, op: opsOf(f)[0]!, values: [], text: '' })}
          data-testid={`${id}-field`}
        />
        {attributePrefix(c.field) !== undefined && (
          <TextInput
            label={t('automation.form.attributeKey')}
            value={c.attribute}
            onChange={(e) => onChange({ ...c, attribute: e.currentTarget.value })}
            data-testid={`${id}-attribute`}
          />
        )}
        <Select
          label={t('automation.form.op')}
          data={ops}
          value={c.op}
          allowDeselect={false}
          onChange={(o) => o && onChange({ ...c, op: o as ConditionOp })}
          data-testid={`${id}-op`}
        />
        {kind === 'list' &&
          (options ? (
            <MultiSelect
              label={t('automation.form.value')}
              data={options}
              value={c.values}
              onChange={(values) => onChange({ ...c, values })}
              searchable
              miw={220}
              data-testid={`${id}-choices`}
            />
          ) : (
            <TagsInput
              label={t('automation.form.values')}
              value={c.values}
              onChange={(values) => onChange({ ...c, values })}
              miw={260}
              data-testid={`${id}-values`}
            />
          ))}
        {kind === 'word' && (
          <Select
            label={t('automation.form.value')}
            data={words.map((w) => ({ value: w, label: t(`automation.word.${w}` as MessageKey) }))}
            value={c.text || null}
            onChange={(w) => onChange({ ...c, text: w ?? '' })}
            data-testid={`${id}-word`}
          />
        )}
        {kind === 'text' && (
          <TextInput
            label={t('automation.form.value')}
            value={c.text}
            onChange={(e) => onChange({ ...c, text: e.currentTarget.value })}
            data-testid={`${id}-text`}
          />
        )}
        <Button variant="subtle" color="red" onClick={onRemove} data-testid={`${id}-remove`}>
          {t('automation.form.remove')}
        </Button>
      </Group>
    </Paper>
  );
}
