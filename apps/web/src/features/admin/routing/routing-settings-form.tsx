import { useChannelNaming } from '../../../api/channel-types.ts';
import { Alert, Button, Group, NumberInput, Paper, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { put } from '../../../api/http.ts';
import type { Channel } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { AutomaticMessageFields, VariableList } from './automatic-message-fields.tsx';
import { errorAt, fieldErrors, unplacedErrors } from './field-errors.ts';
import {
  ASSIGNMENT_MODES,
  AUTOMATIC_KINDS,
  type ChannelRouting,
  MESSAGE_LANGS,
  type MessageLang,
  useSchedules,
} from './routing-api.ts';
import {
  draftFromRouting,
  type RoutingDraft,
  routingBody,
  SERVER_KIND,
  type WindowUnit,
  windowUnits,
} from './routing-form.ts';

function Section({
  title,
  help,
  children,
  testId,
}: {
  title: string;
  help?: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h5">
            {title}
          </Title>
          {help && (
            <Text size="xs" c="dimmed">
              {help}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

/** Select options need a non-empty value; schedule ids are UUIDs, so this cannot collide. */
const NO_SCHEDULE = 'none';

const numberOrEmpty = (v: string | number): number | '' => (typeof v === 'number' ? v : '');

/** One channel's routing: working hours, language, window, assignment, automatic messages. */
export function RoutingSettingsForm({ channel, routing }: { channel: Channel; routing: ChannelRouting }) {
  const { t } = useI18n();
  const names = useChannelNaming();
  const qc = useQueryClient();
  const schedules = useSchedules();
  const [d, setD] = useState<RoutingDraft>(() => draftFromRouting(routing));
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<RoutingDraft>) => {
    setSaved(false);
    setD((old) => ({ ...old, ...patch }));
  };
  const save = useMutation({
    mutationFn: () =>
      put<ChannelRouting>(
        `/api/v1/channels/${encodeURIComponent(channel.id)}/routing`,
        routingBody(d, routing),
      ),
    onSuccess: (r) => {
      qc.setQueryData(['channel-routing', channel.id], r);
      void qc.invalidateQueries({ queryKey: ['center-status'] });
      setD(draftFromRouting(r));
      setSaved(true);
    },
  });
  const errors = fieldErrors(save.error, t);
  const rest = unplacedErrors(errors, [
    'scheduleId',
    'language',
    'window',
    'assignment',
    'automaticMessages',
  ]);
  const units = windowUnits(routing, names.find(channel.type));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} data-testid="routing-form">
      <Stack>
        <Section title={t('routing.hoursSection')} help={t('routing.scheduleHelp')} testId="routing-hours">
          <Select
            label={t('routing.schedule')}
            value={d.scheduleId ?? NO_SCHEDULE}
            allowDeselect={false}
            onChange={(v) => v && set({ scheduleId: v === NO_SCHEDULE ? null : v })}
            data={[
              { value: NO_SCHEDULE, label: t('routing.noSchedule') },
              ...(schedules.data ?? []).map((s) => ({ value: s.id, label: s.name })),
            ]}
            comboboxProps={{ withinPortal: true }}
            error={errorAt(errors, 'scheduleId')}
            data-testid="routing-schedule"
          />
          <Select
            label={t('routing.language')}
            value={d.language}
            allowDeselect={false}
            onChange={(v) => v && set({ language: v as MessageLang })}
            data={MESSAGE_LANGS.map((l) => ({ value: l, label: t(`routing.lang.${l}`) }))}
            comboboxProps={{ withinPortal: true }}
            error={errorAt(errors, 'language')}
            data-testid="routing-language"
          />
        </Section>

        <Section title={t('routing.window')} help={t('routing.windowHelp')} testId="routing-window">
          {routing.windowFixedByProvider ? (
            <Text size="sm" data-testid="routing-window-fixed">
              {t('routing.windowFixed')}
            </Text>
          ) : (
            <Group align="flex-start" gap="xs" wrap="wrap">
              <Select
                label={t('routing.windowUnit')}
                w={180}
                value={d.windowUnit}
                allowDeselect={false}
                onChange={(v) => v && set({ windowUnit: v as WindowUnit })}
                data={units.map((u) => ({ value: u, label: t(`routing.unit.${u}`) }))}
                comboboxProps={{ withinPortal: true }}
                error={errorAt(errors, 'window.unit') ?? errors.window}
                data-testid="routing-window-unit"
              />
              {d.windowUnit !== 'unlimited' && (
                <NumberInput
                  label={t('routing.windowValue')}
                  w={140}
                  min={1}
                  max={d.windowUnit === 'hours' ? 24 * 366 : 366}
                  allowDecimal={false}
                  value={d.windowValue}
                  onChange={(v) => set({ windowValue: numberOrEmpty(v) })}
                  error={errorAt(errors, 'window.value')}
                  data-testid="routing-window-value"
                />
              )}
            </Group>
          )}
        </Section>

        <Section title={t('routing.assignment')} testId="routing-assignment">
          <Select
            label={t('routing.mode')}
            value={d.mode}
            allowDeselect={false}
            onChange={(v) => v && set({ mode: v as RoutingDraft['mode'] })}
            data={ASSIGNMENT_MODES.map((m) => ({ value: m, label: t(`routing.mode.${m}`) }))}
            comboboxProps={{ withinPortal: true }}
            error={errorAt(errors, 'assignment.mode')}
            data-testid="routing-mode"
          />
          <Text size="xs" c="dimmed">
            {t(`routing.modeHelp.${d.mode}`)}
          </Text>
          <Switch
            label={t('routing.sticky')}
            checked={d.sticky}
            onChange={(e) => set({ sticky: e.currentTarget.checked })}
            data-testid="routing-sticky"
          />
          <Switch
            label={t('routing.reassignOnOffline')}
            checked={d.reassignOnOffline}
            onChange={(e) => set({ reassignOnOffline: e.currentTarget.checked })}
            data-testid="routing-reassign-offline"
          />
          <Switch
            label={t('routing.noReply')}
            checked={d.noReplyOn}
            onChange={(e) => set({ noReplyOn: e.currentTarget.checked })}
            data-testid="routing-no-reply"
          />
          {d.noReplyOn && (
            <NumberInput
              label={t('routing.noReplyMinutes')}
              w={220}
              min={1}
              max={1440}
              allowDecimal={false}
              value={d.noReplyMinutes}
              onChange={(v) => set({ noReplyMinutes: numberOrEmpty(v) })}
              error={errorAt(errors, 'assignment.noReplyReassignMinutes')}
              data-testid="routing-no-reply-minutes"
            />
          )}
        </Section>

        <Section title={t('routing.automatic')} help={t('routing.textHelp')} testId="routing-automatic">
          <VariableList variables={routing.templateVariables ?? []} />
          <NumberInput
            label={t('routing.throttle')}
            w={260}
            min={0}
            max={720}
            value={d.throttleHours}
            onChange={(v) => set({ throttleHours: numberOrEmpty(v) })}
            error={errorAt(errors, 'automaticMessages.throttleHours')}
            data-testid="routing-throttle"
          />
          {AUTOMATIC_KINDS.map((kind) => (
            <AutomaticMessageFields
              key={kind}
              kind={kind}
              enabled={d.messages[kind].enabled}
              text={d.messages[kind].text}
              defaults={routing.defaultTexts[SERVER_KIND[kind]]}
              onChange={(v) => set({ messages: { ...d.messages, [kind]: v } })}
              errors={errors}
              {...(kind === 'noAnswer'
                ? {
                    afterMinutes: d.noAnswerAfterMinutes,
                    onAfterMinutes: (v: number | '') => set({ noAnswerAfterMinutes: v }),
                  }
                : {})}
            />
          ))}
        </Section>

        {save.isError && <ErrorAlert error={save.error} />}
        {rest.length > 0 && (
          <Alert color="red" variant="light">
            {rest.map((r) => (
              <Text key={r} size="xs" className="sb-text">
                {r}
              </Text>
            ))}
          </Alert>
        )}
        {saved && (
          <Alert color="green" variant="light" data-testid="routing-saved">
            {t('routing.saved')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} data-testid="routing-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
