import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, del } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { type Schedule, WEEKDAYS, useScheduleStatus, useSchedules } from './routing-api.ts';
import { ScheduleEditor } from './schedule-editor.tsx';
import { zonedDateTime } from './zoned-time.ts';

function OpenNow({ schedule }: { schedule: Schedule }) {
  const { t, lang } = useI18n();
  const status = useScheduleStatus(schedule.id);
  if (!status.data) return null;
  const { open, nextOpenAt } = status.data;
  return (
    <Group gap="xs" data-testid="schedule-status" data-open={open}>
      <Badge color={open ? 'green' : 'gray'} variant="light">
        {open ? t('schedules.openNow') : t('schedules.closedNow')}
      </Badge>
      {!open && (
        <Text size="xs" c="dimmed">
          {nextOpenAt === null
            ? t('schedules.neverOpens')
            : t('schedules.nextOpen', { when: zonedDateTime(nextOpenAt, schedule.timeZone, lang) })}
        </Text>
      )}
    </Group>
  );
}

function WeekSummary({ schedule }: { schedule: Schedule }) {
  const { t } = useI18n();
  return (
    <Stack gap={0}>
      {WEEKDAYS.map((d) => {
        const list = schedule.weekly[d] ?? [];
        return (
          <Group key={d} gap="xs" wrap="nowrap">
            <Text size="xs" w={36} c="dimmed">
              {t(`weekdayShort.${d}`)}
            </Text>
            <Text size="xs">
              {list.length ? list.map((i) => `${i.from}–${i.to}`).join(', ') : t('schedules.closed')}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}

/** Working-hours schedules: list with "open now / next opening", create, edit, delete. */
export function SchedulesPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const schedules = useSchedules();
  // The schedule stays set while the dialog animates closed, so its content does not vanish first.
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const [editorOpen, setEditorOpen] = useState(false);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const remove = useMutation({
    mutationFn: (s: Schedule) => del(`/api/v1/schedules/${encodeURIComponent(s.id)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['schedules'] });
      setDeleting(null);
    },
  });
  const open = (s: Schedule | 'new') => {
    setEditing(s);
    setEditorOpen(true);
  };

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t('schedules.title')}
        </Title>
        <Button onClick={() => open('new')} data-testid="schedule-new">
          {t('schedules.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('schedules.help')}
      </Text>
      {schedules.isError && <ErrorAlert error={schedules.error} onRetry={() => void schedules.refetch()} />}
      {schedules.data?.length === 0 && <Text c="dimmed">{t('schedules.empty')}</Text>}
      {schedules.data?.map((s) => (
        <Paper key={s.id} withBorder p="md" data-testid="schedule-card" data-schedule-id={s.id}>
          <Stack gap="xs">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={2}>
                <Text fw={600}>{s.name}</Text>
                <Text size="xs" c="dimmed">
                  {s.timeZone}
                </Text>
              </Stack>
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => open(s)} data-testid="schedule-edit">
                  {t('schedules.edit')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  color="red"
                  onClick={() => {
                    remove.reset();
                    setDeleting(s);
                  }}
                  data-testid="schedule-delete"
                >
                  {t('schedules.delete')}
                </Button>
              </Group>
            </Group>
            <OpenNow schedule={s} />
            <WeekSummary schedule={s} />
            {s.exceptions.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('schedules.exceptionCount', { n: s.exceptions.length })}
              </Text>
            )}
          </Stack>
        </Paper>
      ))}

      <Modal
        opened={editorOpen}
        onClose={() => setEditorOpen(false)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={editing === 'new' ? t('schedules.new') : editing?.name}
        size="lg"
        fullScreen={!wide}
        centered
      >
        {editing && (
          <ScheduleEditor
            key={editing === 'new' ? 'new' : editing.id}
            schedule={editing === 'new' ? null : editing}
            onDone={() => setEditorOpen(false)}
          />
        )}
      </Modal>

      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('schedules.delete')}
        centered
      >
        <Stack>
          <Text size="sm">{t('schedules.deleteConfirm', { name: deleting?.name ?? '' })}</Text>
          {remove.isError &&
            (remove.error instanceof ApiError && remove.error.code === 'conflict' ? (
              <Alert color="orange" variant="light" role="alert" data-testid="schedule-in-use">
                {t('schedules.inUse')}
              </Alert>
            ) : (
              <ErrorAlert error={remove.error} />
            ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting)}
              data-testid="schedule-delete-confirm"
            >
              {t('schedules.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
