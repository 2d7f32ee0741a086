import {
  Alert,
  Button,
  Checkbox,
  Code,
  FileInput,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useChannelNaming } from '../../api/channel-types.ts';
import { useChannels } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  CONTACTS_KEY,
  type ImportJob,
  type ImportMapping,
  type ImportPreview,
  getImport,
  isXlsx,
  previewImportFile,
  startImportFile,
} from './contacts-api.ts';
import { previewCsv } from './csv-preview.ts';
import { ImportProgress, ImportResultView } from './import-result.tsx';
import { MappingTable, initialMapping } from './import-mapping.tsx';

const COLUMNS = 'name, phone, email, externalId, labels, optIn, channelId';
const POLL_MS = 700;

type Picked = { file: File; preview: ImportPreview; rowCount: number | null } | null;

/**
 * Import contacts from a CSV or XLSX file: file, what each column means, channel, source, opt-in; the
 * server's preview first; then the import runs as a job, followed with a progress bar, and its result.
 */
export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const narrow = useMediaQuery('(max-width: 36em)');
  const channels = useChannels();
  const names = useChannelNaming();
  // Types whose customers' addresses can be known before they write (the type's addressing says).
  const importable = (channels.data ?? []).filter(
    (c) => c.active && names.find(c.type)?.capabilities.addressing.importable,
  );
  const [picked, setPicked] = useState<Picked>(null);
  const [channelId, setChannelId] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [optIn, setOptIn] = useState(false);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [job, setJob] = useState<ImportJob | null>(null);
  const read = useMutation({
    mutationFn: async (file: File) => {
      const preview = await previewImportFile(file);
      // A CSV is counted here as well (an XLSX only by the job): the number is worth seeing before.
      const rowCount = isXlsx(file) ? null : (previewCsv(await file.text())?.total ?? null);
      return { file, preview, rowCount };
    },
    onSuccess: (p) => {
      setPicked(p);
      setMapping(initialMapping(p.preview));
    },
  });
  const run = useMutation({
    mutationFn: async () => {
      let j = await startImportFile(picked!.file, {
        source: source.trim(),
        optIn,
        channelId: channelId!,
        mapping,
      });
      setJob(j);
      while (j.status === 'queued' || j.status === 'running') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        j = await getImport(j.id);
        setJob(j);
      }
      return j;
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: CONTACTS_KEY }),
  });

  const firstChannel = importable[0]?.id ?? null;
  useEffect(() => {
    if (channelId === null && firstChannel) setChannelId(firstChannel);
  }, [channelId, firstChannel]);

  const pick = (file: File | null) => {
    run.reset();
    setJob(null);
    setPicked(null);
    read.reset();
    if (file) read.mutate(file);
  };
  const reset = () => {
    run.reset();
    read.reset();
    setJob(null);
    setPicked(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const preview = picked?.preview ?? null;
  const problem = picked && picked.rowCount === 0 ? t('contacts.import.noRows') : null;
  const ready =
    !!picked && !problem && !!channelId && source.trim().length > 0 && source.trim().length <= 200;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('contacts.import.title')}
      size="xl"
      fullScreen={narrow}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="import-dialog"
    >
      {run.data ? (
        <Stack>
          <ImportResultView r={run.data} />
          <Group justify="flex-end">
            <Button variant="default" onClick={reset} data-testid="import-again">
              {t('contacts.import.again')}
            </Button>
            <Button onClick={close}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) run.mutate();
          }}
        >
          <Stack gap="sm">
            <FileInput
              label={t('contacts.import.fileAny')}
              placeholder={t('contacts.import.filePlaceholder')}
              accept=".csv,text/csv,text/plain,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={picked?.file ?? read.variables ?? null}
              onChange={pick}
              clearable
              required
              description={
                <>
                  {t('contacts.import.fileHint')} <Code>{COLUMNS}</Code> {t('contacts.import.xlsxHint')}
                </>
              }
              data-testid="import-file"
            />
            {read.isPending && (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm">{t('contacts.import.previewing')}</Text>
              </Group>
            )}
            {read.isError && <ErrorAlert error={read.error} />}
            {problem && (
              <Alert color="red" variant="light" role="alert" data-testid="import-file-problem">
                {problem}
              </Alert>
            )}
            {preview && !problem && (
              <MappingTable
                preview={preview}
                mapping={mapping}
                onChange={setMapping}
                rowCount={picked?.rowCount ?? null}
              />
            )}
            <Select
              label={t('contacts.import.channel')}
              description={t('contacts.import.channelHint')}
              data={importable.map((c) => ({ value: c.id, label: c.name }))}
              value={channelId}
              onChange={setChannelId}
              allowDeselect={false}
              required
              data-testid="import-channel"
            />
            <TextInput
              label={t('contacts.import.source')}
              description={t('contacts.import.sourceHint')}
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
              maxLength={200}
              required
              data-testid="import-source"
            />
            <Checkbox
              label={t('contacts.import.optIn')}
              description={t('contacts.import.optInHint')}
              checked={optIn}
              onChange={(e) => setOptIn(e.currentTarget.checked)}
              data-testid="import-optin"
            />
            {run.isPending && <ImportProgress job={job} />}
            {run.isError && <ErrorAlert error={run.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={!ready} loading={run.isPending} data-testid="import-submit">
                {run.isPending ? t('contacts.import.running') : t('contacts.import.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
