import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  FileInput,
  Group,
  List,
  Modal,
  Select,
  Stack,
  Table,
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
  type ImportResult,
  MAX_IMPORT_ROWS,
  type RowProblem,
  importContactsFile,
} from './contacts-api.ts';
import { type CsvPreview, previewCsv } from './csv-preview.ts';
import { problemText } from './issue-text.ts';

const COLUMNS = 'name, phone, email, externalId, labels, optIn, channelId';

type Picked = { file: File; preview: CsvPreview | null } | null;

function PreviewTable({ preview }: { preview: CsvPreview }) {
  const { t } = useI18n();
  return (
    <Stack gap={4} data-testid="import-preview">
      <Text size="sm" fw={600}>
        {t('contacts.import.preview')}
      </Text>
      <Table.ScrollContainer minWidth={360}>
        <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              {preview.header.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <Table.Th key={i}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
              <Table.Tr key={i}>
                {preview.header.map((_, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  <Table.Td key={j} className="sb-text">
                    {r[j] ?? ''}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" data-testid="import-row-count">
        {t('contacts.import.rows', { count: preview.total })}
      </Text>
    </Stack>
  );
}

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

function ResultView({ r }: { r: ImportResult }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid="import-result">
      <Text fw={600}>{t('contacts.import.done')}</Text>
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
      {r.truncated && (
        <Text size="xs" c="dimmed">
          {t('contacts.import.truncated')}
        </Text>
      )}
      {r.ignoredColumns.length > 0 && (
        <Text size="xs" c="dimmed" className="sb-text">
          {t('contacts.import.ignored', { columns: r.ignoredColumns.join(', ') })}
        </Text>
      )}
    </Stack>
  );
}

/** Import contacts from a CSV file: file, channel, source, opt-in; a preview first; the result per row. */
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
  const run = useMutation({
    mutationFn: () =>
      importContactsFile(picked!.file, { source: source.trim(), optIn, channelId: channelId! }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: CONTACTS_KEY }),
  });

  const firstChannel = importable[0]?.id ?? null;
  useEffect(() => {
    if (channelId === null && firstChannel) setChannelId(firstChannel);
  }, [channelId, firstChannel]);

  const pick = async (file: File | null) => {
    run.reset();
    if (!file) return setPicked(null);
    setPicked({ file, preview: previewCsv(await file.text()) });
  };
  const reset = () => {
    run.reset();
    setPicked(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const preview = picked?.preview ?? null;
  const problem = !picked
    ? null
    : !preview
      ? t('contacts.import.unreadable')
      : preview.total === 0
        ? t('contacts.import.noRows')
        : preview.total > MAX_IMPORT_ROWS
          ? t('contacts.import.tooMany', { max: MAX_IMPORT_ROWS })
          : null;
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
          <ResultView r={run.data} />
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
              label={t('contacts.import.file')}
              placeholder={t('contacts.import.filePlaceholder')}
              accept=".csv,text/csv,text/plain"
              value={picked?.file ?? null}
              onChange={(f) => void pick(f)}
              clearable
              required
              description={
                <>
                  {t('contacts.import.fileHint')} <Code>{COLUMNS}</Code>
                </>
              }
              data-testid="import-file"
            />
            {problem && (
              <Alert color="red" variant="light" role="alert" data-testid="import-file-problem">
                {problem}
              </Alert>
            )}
            {preview && preview.total > 0 && <PreviewTable preview={preview} />}
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
