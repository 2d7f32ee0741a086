import { Alert, Box, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { post, put } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { ExceptionsEditor } from './exceptions-editor.tsx';
import { errorAt, fieldErrors, unplacedErrors } from './field-errors.ts';
import { IntervalsEditor } from './intervals-editor.tsx';
import { type Schedule, WEEKDAYS } from './routing-api.ts';
import { draftFrom, newDraft, type ScheduleDraft, timeZones, toInput } from './schedule-form.ts';

/** Create or edit a schedule: name, time zone, weekly hours, holidays and one-off openings. */
export function ScheduleEditor({ schedule, onDone }: { schedule: Schedule | null; onDone(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [draft, setDraft] = useState<ScheduleDraft>(() => (schedule ? draftFrom(schedule) : newDraft()));
  const zones = useMemo(() => {
    const list = timeZones();
    return list.includes(draft.timeZone) ? list : [draft.timeZone, ...list];
  }, [draft.timeZone]);
  const save = useMutation({
    mutationFn: () =>
      schedule
        ? put<Schedule>(`/api/v1/schedules/${encodeURIComponent(schedule.id)}`, toInput(draft))
        : post<Schedule>('/api/v1/schedules', toInput(draft)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['schedules'] });
      void qc.invalidateQueries({ queryKey: ['center-status'] });
      onDone();
    },
  });
  const errors = fieldErrors(save.error, t);
  const rest = unplacedErrors(errors, ['name', 'timeZone', 'weekly', 'exceptions']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} data-testid="schedule-editor">
      <Stack>
        <TextInput
          label={t('schedules.name')}
          required
          maxLength={200}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          error={errorAt(errors, 'name')}
          data-testid="schedule-name"
        />
        <Select
          label={t('schedules.timeZone')}
          searchable
          required
          allowDeselect={false}
          value={draft.timeZone}
          onChange={(v) => v && setDraft({ ...draft, timeZone: v })}
          data={zones}
          nothingFoundMessage={t('schedules.noZone')}
          comboboxProps={{ withinPortal: true }}
          error={errorAt(errors, 'timeZone')}
          data-testid="schedule-zone"
        />

        <Box>
          <Title order={3} size="h5" mb={4}>
            {t('schedules.weekly')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('schedules.midnightHint')}
          </Text>
          <Stack gap="sm">
            {WEEKDAYS.map((d) => (
              <Group
                key={d}
                align="flex-start"
                wrap={wide ? 'nowrap' : 'wrap'}
                gap="xs"
                data-testid={`day-${d}`}
              >
                <Text size="sm" fw={500} w={wide ? 120 : '100%'} pt={4}>
                  {t(`weekday.${d}`)}
                </Text>
                <IntervalsEditor
                  label={t(`weekday.${d}`)}
                  value={draft.weekly[d]}
                  onChange={(v) => setDraft({ ...draft, weekly: { ...draft.weekly, [d]: v } })}
                  errors={errors}
                  field={`weekly.${d}`}
                  testId={`intervals-${d}`}
                />
              </Group>
            ))}
          </Stack>
        </Box>

        <Box>
          <Title order={3} size="h5" mb={4}>
            {t('schedules.exceptions')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('schedules.exceptionsHelp')}
          </Text>
          <ExceptionsEditor
            value={draft.exceptions}
            onChange={(exceptions) => setDraft({ ...draft, exceptions })}
            errors={errors}
          />
        </Box>

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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="schedule-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
