import { Alert, Button, FileButton, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { TemplateImportResult } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { importCsv, rowErrorsOf } from './templates-api.ts';

/** CSV in: check first (a dry run), then import; refused rows are listed and nothing is written. */
export function TemplateImport({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => importCsv(file!, dryRun),
    onSuccess: (r: TemplateImportResult) => {
      if (!r.dryRun) onImported();
    },
  });
  const rows = run.isError ? rowErrorsOf(run.error) : [];
  const result = run.data;
  return (
    <Modal opened onClose={onClose} title={t('tpl.import')} size="lg" data-testid="template-import">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('tpl.importHint', { columns: 'name, shortcut, scope, team, text' })}
        </Text>
        <Group>
          <FileButton
            accept=".csv,text/csv,text/plain"
            onChange={(f) => {
              setFile(f);
              run.reset();
            }}
          >
            {(props) => (
              <Button {...props} variant="light" data-testid="template-import-file">
                {file ? file.name : t('tpl.import')}
              </Button>
            )}
          </FileButton>
          <Button
            variant="default"
            disabled={!file}
            loading={run.isPending && run.variables}
            onClick={() => run.mutate(true)}
            data-testid="template-import-check"
          >
            {t('tpl.importCheck')}
          </Button>
          <Button
            disabled={!file}
            loading={run.isPending && !run.variables}
            onClick={() => run.mutate(false)}
            data-testid="template-import-run"
          >
            {t('tpl.importRun')}
          </Button>
        </Group>
        {result && (
          <Alert
            color={result.dryRun ? 'blue' : 'green'}
            variant="light"
            data-testid="template-import-result"
          >
            {t(result.dryRun ? 'tpl.importChecked' : 'tpl.importDone', {
              created: result.created,
              updated: result.updated,
            })}
          </Alert>
        )}
        {rows.length > 0 && (
          <Stack gap={4} data-testid="template-import-errors">
            <Text size="sm" c="red.7">
              {t('tpl.importFailed')}
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tpl.row')}</Table.Th>
                  <Table.Th>{t('tpl.problem')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={`${r.row}-${r.message}`} data-testid="template-import-error">
                    <Table.Td>{r.row}</Table.Td>
                    <Table.Td>{r.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
        {run.isError && rows.length === 0 && <ErrorAlert error={run.error} />}
      </Stack>
    </Modal>
  );
}
