import { Button, CloseButton, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useI18n } from '../../../i18n/i18n.tsx';
import { errorAt, type FieldErrors } from './field-errors.ts';
import { IntervalsEditor } from './intervals-editor.tsx';
import { DEFAULT_HOURS, type ExceptionDraft, draftKey } from './schedule-form.ts';

/** Dated overrides of the weekly hours: holidays (closed all day) and one-off openings with their hours. */
export function ExceptionsEditor({
  value,
  onChange,
  errors,
}: {
  value: ExceptionDraft[];
  onChange(v: ExceptionDraft[]): void;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  const set = (key: string, patch: Partial<ExceptionDraft>) =>
    onChange(value.map((e) => (e.key === key ? { ...e, ...patch } : e)));
  const add = (open: boolean) =>
    onChange([
      ...value,
      { key: draftKey(), date: '', open, intervals: open ? [{ ...DEFAULT_HOURS }] : [], note: '' },
    ]);
  return (
    <Stack gap="xs">
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('schedules.noExceptions')}
        </Text>
      )}
      {value.map((e, i) => {
        const dateLabel = e.date || t('schedules.exceptionN', { n: i + 1 });
        return (
          <Paper key={e.key} withBorder p="xs" data-testid="exception">
            <Stack gap={6}>
              <Group gap="xs" align="flex-end" wrap="wrap">
                <TextInput
                  type="date"
                  size="xs"
                  w={150}
                  label={t('schedules.date')}
                  required
                  value={e.date}
                  onChange={(ev) => set(e.key, { date: ev.currentTarget.value })}
                  error={errorAt(errors, `exceptions.${i}.date`)}
                  data-testid="exception-date"
                />
                <Select
                  size="xs"
                  w={200}
                  label={t('schedules.dayKind')}
                  value={e.open ? 'open' : 'closed'}
                  allowDeselect={false}
                  onChange={(v) =>
                    set(e.key, {
                      open: v === 'open',
                      intervals:
                        v === 'open' && e.intervals.length === 0 ? [{ ...DEFAULT_HOURS }] : e.intervals,
                    })
                  }
                  data={[
                    { value: 'closed', label: t('schedules.closedAllDay') },
                    { value: 'open', label: t('schedules.openWithHours') },
                  ]}
                  data-testid="exception-kind"
                />
                <TextInput
                  size="xs"
                  style={{ flex: 1, minWidth: 140 }}
                  label={t('schedules.note')}
                  maxLength={200}
                  value={e.note}
                  onChange={(ev) => set(e.key, { note: ev.currentTarget.value })}
                  error={errorAt(errors, `exceptions.${i}.note`)}
                  data-testid="exception-note"
                />
                <CloseButton
                  aria-label={t('schedules.removeException', { date: dateLabel })}
                  onClick={() => onChange(value.filter((x) => x.key !== e.key))}
                />
              </Group>
              {e.open && (
                <IntervalsEditor
                  label={dateLabel}
                  value={e.intervals}
                  onChange={(intervals) => set(e.key, { intervals })}
                  errors={errors}
                  field={`exceptions.${i}.intervals`}
                  testId="exception-intervals"
                />
              )}
            </Stack>
          </Paper>
        );
      })}
      {errors.exceptions && (
        <Text size="xs" c="red" role="alert" className="sb-text">
          {errors.exceptions}
        </Text>
      )}
      <Group gap="xs">
        <Button size="xs" variant="light" onClick={() => add(false)} data-testid="add-holiday">
          {t('schedules.addHoliday')}
        </Button>
        <Button size="xs" variant="light" onClick={() => add(true)} data-testid="add-opening">
          {t('schedules.addOpening')}
        </Button>
      </Group>
    </Stack>
  );
}
