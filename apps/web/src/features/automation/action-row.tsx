import { AUTOMATION_ACTION_TYPES, type AutomationActionType, PRIORITIES } from '@switchboard/shared';
import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  TagsInput,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useTeams, useUsers } from '../../api/directory.ts';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { VariableList } from '../admin/routing/automatic-message-fields.tsx';
import { type ActionDraft, newAction } from './rule-draft.ts';

const STATUSES = ['open', 'pending', 'resolved'] as const;

export function ActionRow({
  index,
  value: a,
  onChange,
  onRemove,
}: {
  index: number;
  value: ActionDraft;
  onChange(a: ActionDraft): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const teams = useTeams();
  const users = useUsers();
  const id = `action-${index}`;
  const types = AUTOMATION_ACTION_TYPES.map((x) => ({
    value: x,
    label: t(`automation.action.${x}` as MessageKey),
  }));
  return (
    <Paper withBorder p="xs" data-testid="action-row">
      <Stack gap="xs">
        <Group align="flex-end" wrap="wrap" gap="xs">
          <Select
            label={t('automation.form.action')}
            data={types}
            value={a.type}
            allowDeselect={false}
            onChange={(x) => x && onChange({ ...newAction(x as AutomationActionType), key: a.key })}
            data-testid={`${id}-type`}
          />
          {(a.type === 'add_label' || a.type === 'remove_label') && (
            <TextInput
              label={t('automation.form.label')}
              value={a.label}
              onChange={(e) => onChange({ ...a, label: e.currentTarget.value })}
              data-testid={`${id}-label`}
            />
          )}
          {a.type === 'set_priority' && (
            <Select
              label={t('automation.form.priority')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}` as MessageKey) }))}
              value={a.priority}
              allowDeselect={false}
              onChange={(p) => p && onChange({ ...a, priority: p })}
              data-testid={`${id}-priority`}
            />
          )}
          {a.type === 'assign_team' && (
            <Select
              label={t('automation.form.team')}
              data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              value={a.teamId || null}
              onChange={(v) => onChange({ ...a, teamId: v ?? '' })}
              data-testid={`${id}-team`}
            />
          )}
          {a.type === 'assign_operator' && (
            <Select
              label={t('automation.form.operator')}
              data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={a.userId || null}
              searchable
              onChange={(v) => onChange({ ...a, userId: v ?? '' })}
              data-testid={`${id}-operator`}
            />
          )}
          {a.type === 'set_status' && (
            <Select
              label={t('automation.form.status')}
              data={STATUSES.map((s) => ({ value: s, label: t(`automation.status.${s}`) }))}
              value={a.status}
              allowDeselect={false}
              onChange={(s) => s && onChange({ ...a, status: s })}
              data-testid={`${id}-status`}
            />
          )}
          {(a.type === 'snooze' || a.type === 'mute') && (
            <NumberInput
              label={t('automation.form.minutes')}
              value={a.minutes}
              min={1}
              onChange={(v) => onChange({ ...a, minutes: typeof v === 'number' ? v : '' })}
              data-testid={`${id}-minutes`}
            />
          )}
          {a.type === 'send_template' && (
            <>
              <TextInput
                label={t('automation.form.templateName')}
                value={a.templateName}
                onChange={(e) => onChange({ ...a, templateName: e.currentTarget.value })}
                data-testid={`${id}-template-name`}
              />
              <TextInput
                label={t('automation.form.templateLanguage')}
                value={a.templateLanguage}
                onChange={(e) => onChange({ ...a, templateLanguage: e.currentTarget.value })}
                data-testid={`${id}-template-language`}
              />
            </>
          )}
          {a.type === 'send_webhook' && (
            <TextInput
              label={t('automation.form.url')}
              value={a.url}
              miw={320}
              onChange={(e) => onChange({ ...a, url: e.currentTarget.value })}
              data-testid={`${id}-url`}
            />
          )}
          <Button variant="subtle" color="red" onClick={onRemove} data-testid={`${id}-remove`}>
            {t('automation.form.remove')}
          </Button>
        </Group>
        {a.type === 'send_template' && (
          <TagsInput
            label={t('automation.form.templateParams')}
            value={a.templateParams}
            onChange={(v) => onChange({ ...a, templateParams: v })}
            data-testid={`${id}-template-params`}
          />
        )}
        {(a.type === 'send_message' || a.type === 'add_note') && (
          <>
            <Textarea
              label={t('automation.form.text')}
              value={a.text}
              autosize
              minRows={2}
              onChange={(e) => onChange({ ...a, text: e.currentTarget.value })}
              data-testid={`${id}-text`}
            />
            {a.type === 'send_message' && <VariableList variables={['contact.name', 'channel.name']} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}
