import { Anchor, Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { type ContactFilter, activeFilter, startContactsExport, useExportJob } from './contacts-api.ts';

/** Exports the contacts the current filter matches, with their attributes; a link once the file is ready. */
export function ContactExportButton({ filter }: { filter: ContactFilter }) {
  const { t, fmt } = useI18n();
  const start = useMutation({ mutationFn: () => startContactsExport(activeFilter(filter)) });
  const job = useExportJob(start.data?.id ?? null);
  const e = job.data;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        size="sm"
        variant="default"
        loading={start.isPending || (e !== undefined && e.status !== 'done' && e.status !== 'failed')}
        onClick={() => start.mutate()}
        data-testid="contacts-export"
      >
        {t('contacts.export')}
      </Button>
      {e?.status === 'done' && e.downloadUrl && (
        <Anchor href={e.downloadUrl} download={e.fileName} size="sm" data-testid="contacts-export-download">
          {t('contacts.export.download', { n: fmt.number(e.rowsDone) })}
        </Anchor>
      )}
      {e?.status === 'failed' && (
        <Text size="sm" c="red" data-testid="contacts-export-failed">
          {t('contacts.export.failed')}
        </Text>
      )}
      {(start.error ?? job.error) && <ErrorAlert error={start.error ?? job.error} />}
    </Group>
  );
}
