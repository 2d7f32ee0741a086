import { Alert, Anchor, Badge, Group, List, Progress, Stack, Text } from '@mantine/core';
import { useChannelNaming } from '../../api/channel-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type ImportJob, type RowProblem, importErrorsUrl } from './contacts-api.ts';
import { problemText } from './issue-text.ts';

function Problems({ title, items, testId }: { title: string; items: RowProblem[]; testId: string }) {
  const { t } = useI18n();
  const names = useChannelNaming();
  if (items.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <List size="sm" spacing={2} data-testid={testId}>
        {items.map((p) => (
          <List.Item key={`${p.row}:${p.message}`} data-row={p.row}>
            <Text span fw={600} size="sm">
              {t('contacts.import.row', { row: p.row })}:
            </Text>{' '}
            <Text span size="sm" className="sb-text">
              {problemText(t, p, names)}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** A running import: a bar of rows done against the file's rows (once the job has counted them). */
export function ImportProgress({ job }: { job: ImportJob | null }) {
  const { t } = useI18n();
  const total = job?.total ?? null;
  const processed = job?.processed ?? 0;
  const label =
    !job || job.status === 'queued'
      ? t('contacts.import.queued')
      : total === null
        ? t('contacts.import.counting')
        : t('contacts.import.progress', { processed, total });
  return (
    <Stack gap={4} data-testid="import-progress">
      <Progress
        value={total ? Math.round((processed / total) * 100) : 0}
        animated
        aria-label={label}
        data-testid="import-progress-bar"
      />
      <Text size="xs" c="dimmed" data-testid="import-progress-text">
        {label}
      </Text>
    </Stack>
  );
}

export function ImportResultView({ r }: { r: ImportJob }) {
  const { t } = useI18n();
  const more = r.errors.length < r.skipped || r.warnings.length > 0;
  return (
    <Stack gap="sm" data-testid="import-result">
      {r.status === 'failed' ? (
        <Alert color="red" variant="light" role="alert" data-testid="import-failed">
          {t('contacts.import.failed', { reason: r.failure ?? '' })}
        </Alert>
      ) : (
        <Text fw={600}>{t('contacts.import.done')}</Text>
      )}
      <Group gap="xs">
        <Badge color="teal" variant="light" tt="none" data-testid="import-created">
          {t('contacts.import.created', { n: r.created })}
        </Badge>
        <Badge color="blue" variant="light" tt="none" data-testid="import-updated">
          {t('contacts.import.updated', { n: r.updated })}
        </Badge>
        <Badge color="gray" variant="light" tt="none">
          {t('contacts.import.unchanged', { n: r.unchanged })}
        </Badge>
        <Badge color={r.skipped ? 'red' : 'gray'} variant="light" tt="none" data-testid="import-skipped">
          {t('contacts.import.skipped', { n: r.skipped })}
        </Badge>
      </Group>
      <Problems title={t('contacts.import.errors')} items={r.errors} testId="import-errors" />
      <Problems title={t('contacts.import.warnings')} items={r.warnings} testId="import-warnings" />
      {more && r.errors.length < r.skipped && (
        <Text size="xs" c="dimmed">
          {t('contacts.import.truncated')}
        </Text>
      )}
      {(r.skipped > 0 || r.warnings.length > 0) && (
        <Anchor href={importErrorsUrl(r.id)} download size="sm" data-testid="import-errors-download">
          {t('contacts.import.downloadErrors')}
        </Anchor>
      )}
      {r.ignoredColumns.length > 0 && (
        <Text size="xs" c="dimmed" className="sb-text">
          {t('contacts.import.ignored', { columns: r.ignoredColumns.join(', ') })}
        </Text>
      )}
    </Stack>
  );
}
