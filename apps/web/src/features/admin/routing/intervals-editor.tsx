import { Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useI18n } from '../../../i18n/i18n.tsx';
import { errorAt, type FieldErrors } from './field-errors.ts';
import type { Interval } from './routing-api.ts';
import { DEFAULT_HOURS } from './schedule-form.ts';

/**
 * The opening hours of one day: any number of from–to intervals (lunch breaks, split shifts).
 * `label` names the day in every control ("Monday, hours 2: from"), so screen readers can tell them apart.
 */
export function IntervalsEditor({
  label,
  value,
  onChange,
  errors,
  field,
  testId,
}: {
  label: string;
  value: Interval[];
  onChange(v: Interval[]): void;
  errors: FieldErrors;
  /** API path of this list, e.g. "weekly.mon" or "exceptions.0.intervals". */
  field: string;
  testId: string;
}) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<Interval>) =>
    onChange(value.map((iv, j) => (j === i ? { ...iv, ...patch } : iv)));
  const add = () => {
    // The next interval starts an hour after the last one ends, when there is room for it.
    const last = value[value.length - 1];
    const h = last ? Number(last.to.slice(0, 2)) : Number.NaN;
    const next =
      last && h > 0 && h < 22
        ? { from: `${String(h + 1).padStart(2, '0')}:00`, to: `${String(h + 3).padStart(2, '0')}:00` }
        : { ...DEFAULT_HOURS };
    onChange([...value, next]);
  };
  const listError = errors[field];
  return (
    <Stack gap={6} data-testid={testId}>
      {value.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="closed">
          {t('schedules.closed')}
        </Text>
      )}
      {value.map((iv, i) => {
        const n = i + 1;
        const err = errorAt(errors, `${field}.${i}`);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity of their own; their position is it
          <Stack key={i} gap={2}>
            <Group gap={6} wrap="nowrap" data-testid="interval">
              <TextInput
                type="time"
                size="xs"
                w={110}
                aria-label={t('schedules.intervalFrom', { day: label, n })}
                value={iv.from}
                onChange={(e) => set(i, { from: e.currentTarget.value })}
                error={err !== undefined}
                data-testid="interval-from"
              />
              <Text size="sm" aria-hidden>
                –
              </Text>
              <TextInput
                type="time"
                size="xs"
                w={110}
                aria-label={t('schedules.intervalTo', { day: label, n })}
                value={iv.to}
                onChange={(e) => set(i, { to: e.currentTarget.value })}
                error={err !== undefined}
                data-testid="interval-to"
              />
              <CloseButton
                size="sm"
                aria-label={t('schedules.removeInterval', { day: label, n })}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              />
            </Group>
            {err && (
              <Text size="xs" c="red" role="alert" className="sb-text">
                {err}
              </Text>
            )}
          </Stack>
        );
      })}
      {listError && (
        <Text size="xs" c="red" role="alert" className="sb-text">
          {listError}
        </Text>
      )}
      <Group>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={add}
          disabled={value.length >= 12}
          aria-label={t('schedules.addIntervalTo', { day: label })}
          data-testid="add-interval"
        >
          {t('schedules.addInterval')}
        </Button>
      </Group>
    </Stack>
  );
}
