import { Select, Stack, Table, Text } from '@mantine/core';
import type { ImportTarget } from '@switchboard/shared';
import { useI18n } from '../../i18n/i18n.tsx';
import type { ImportMapping, ImportPreview } from './contacts-api.ts';

const LEAVE_OUT = '';

/** The mapping a preview proposes: each column as its header reads, or left out. */
export function initialMapping(p: ImportPreview): ImportMapping {
  return Object.fromEntries(p.columns.map((c) => [c.header, c.target])) as ImportMapping;
}

/**
 * The file's first rows under their headers, with what each column is read as (a contact field, an
 * attribute, or left out) to change before importing.
 */
export function MappingTable({
  preview,
  mapping,
  onChange,
  rowCount,
}: {
  preview: ImportPreview;
  mapping: ImportMapping;
  onChange: (m: ImportMapping) => void;
  rowCount: number | null;
}) {
  const { t } = useI18n();
  const options = [
    { value: LEAVE_OUT, label: t('contacts.import.leaveOut') },
    ...preview.targets.map((x) => ({
      value: x.target,
      label:
        x.kind === 'field'
          ? t(`contacts.field.${x.target}` as 'contacts.field.name')
          : t('contacts.import.attribute', { key: x.label }),
    })),
  ];
  const rows = Math.max(0, ...preview.columns.map((c) => c.samples.length));
  return (
    <Stack gap={4} data-testid="import-preview">
      <Text size="sm" fw={600}>
        {t('contacts.import.preview')}
      </Text>
      <Table.ScrollContainer minWidth={360}>
        <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              {preview.columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <Table.Th key={i}>{c.header}</Table.Th>
              ))}
            </Table.Tr>
            <Table.Tr data-testid="import-mapping">
              {preview.columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <Table.Td key={i} miw={140}>
                  <Select
                    size="xs"
                    aria-label={`${t('contacts.import.mapTo')}: ${c.header}`}
                    data={options}
                    value={mapping[c.header] ?? LEAVE_OUT}
                    onChange={(v) => onChange({ ...mapping, [c.header]: v ? (v as ImportTarget) : null })}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: true }}
                    data-testid="import-map-select"
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {Array.from({ length: rows }, (_, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
              <Table.Tr key={r}>
                {preview.columns.map((c, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  <Table.Td key={j} className="sb-text">
                    {c.samples[r] ?? ''}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rowCount !== null && (
        <Text size="xs" c="dimmed" data-testid="import-row-count">
          {t('contacts.import.rows', { count: rowCount })}
        </Text>
      )}
    </Stack>
  );
}
