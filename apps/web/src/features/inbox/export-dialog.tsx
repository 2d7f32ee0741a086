import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import type { ExportDto, ExportFormat, ExportKind as SharedExportKind } from '@switchboard/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DownloadIcon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { type InboxFilter, filterParams } from './inbox-filter.ts';

/** The console exports conversations or messages; contacts are exported from the contacts list. */
type ExportKind = Exclude<SharedExportKind, 'contacts'>;

/**
 * The inbox's filter as the export's filter object: every value that narrows the list (label,
 * attribute and SLA state included), not its order.
 */
export function exportFilter(f: InboxFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filterParams(f))) if (v && k !== 'sort') out[k] = v;
  return out;
}

function ExportProgress({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const job = useQuery({
    queryKey: ['export', id],
    queryFn: () => get<ExportDto>(`/api/v1/exports/${encodeURIComponent(id)}`),
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s === 'done' || s === 'failed' ? false : 1000;
    },
  });
  if (job.isError) return <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;
  const e = job.data;
  if (!e) return null;
  if (e.status === 'failed')
    return (
      <Alert color="red" variant="light" role="alert" data-testid="export-failed">
        <Text size="sm">{t('export.failed')}</Text>
        {e.error && (
          <Text size="xs" c="dimmed" className="sb-text">
            {e.error}
          </Text>
        )}
      </Alert>
    );
  if (e.status === 'done' && e.downloadUrl)
    return (
      <Stack gap={4} data-testid="export-done">
        <Text size="sm">{t('export.done', { rows: e.rowsDone })}</Text>
        <Anchor href={e.downloadUrl} download={e.fileName} data-testid="export-download">
          <DownloadIcon size={14} /> {e.fileName}
          {e.size !== null && ` (${fmt.bytes(e.size)})`}
        </Anchor>
      </Stack>
    );
  const pct = e.rowsTotal ? Math.min(100, (e.rowsDone / e.rowsTotal) * 100) : 0;
  return (
    <Stack gap={4} data-testid="export-running" data-status={e.status}>
      <Progress
        value={pct}
        animated={!e.rowsTotal}
        striped={!e.rowsTotal}
        aria-label={t('export.progress')}
      />
      <Text size="xs" c="dimmed">
        {e.rowsTotal === null
          ? t('export.starting')
          : t('export.rows', { done: e.rowsDone, total: e.rowsTotal })}
      </Text>
    </Stack>
  );
}

/**
 * Export button for the inbox header and the search page: the list's current filters (and the search
 * query, if any), to XLSX or CSV, as a background job.
 */
export function ExportButton({ filter, q }: { filter: InboxFilter; q?: string }) {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  const [kind, setKind] = useState<ExportKind>('conversations');
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const start = useMutation({
    mutationFn: () =>
      post<ExportDto>('/api/v1/exports', {
        kind,
        format,
        filter: { ...exportFilter(filter), ...(q?.trim() ? { q: q.trim() } : {}) },
      }),
  });
  const close = () => {
    setOpened(false);
    start.reset();
  };
  return (
    <>
      <ActionIcon
        variant="subtle"
        color="gray"
        aria-label={t('export.open')}
        title={t('export.open')}
        onClick={() => setOpened(true)}
        data-testid="export-open"
      >
        <DownloadIcon />
      </ActionIcon>
      <Modal
        opened={opened}
        onClose={close}
        title={t('export.title')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        data-testid="export-dialog"
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('export.hint')}
          </Text>
          {/* Stacked: side by side the two long options are wider than the dialog. */}
          <SegmentedControl
            orientation="vertical"
            fullWidth
            aria-label={t('export.kind')}
            value={kind}
            onChange={(v) => setKind(v as ExportKind)}
            disabled={start.isSuccess || start.isPending}
            data={[
              { value: 'conversations', label: t('export.kind.conversations') },
              { value: 'messages', label: t('export.kind.messages') },
            ]}
            data-testid="export-kind"
          />
          <SegmentedControl
            aria-label={t('export.format')}
            value={format}
            onChange={(v) => setFormat(v as ExportFormat)}
            disabled={start.isSuccess || start.isPending}
            data={[
              { value: 'xlsx', label: t('export.format.xlsx') },
              { value: 'csv', label: t('export.format.csv') },
            ]}
            data-testid="export-format"
          />
          {start.isError && <ErrorAlert error={start.error} />}
          {start.data && <ExportProgress id={start.data.id} />}
          <Group justify="flex-end">
            {start.data ? (
              <Button variant="default" onClick={() => start.reset()} data-testid="export-again">
                {t('export.again')}
              </Button>
            ) : (
              <Button loading={start.isPending} onClick={() => start.mutate()} data-testid="export-start">
                {t('export.start')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
