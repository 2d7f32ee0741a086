import { Badge, Button, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import type { MergePreview, MergeResult } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Merging `otherId` into `keepId`: the server's preview (every field, who wins, what moves) under the
 * rule in the operator's language, then one confirm.
 */
export function MergeDialog({
  keepId,
  otherId,
  onClose,
  onMerged,
}: {
  keepId: string;
  otherId: string | null;
  onClose(): void;
  onMerged?(r: MergeResult): void;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const preview = useQuery({
    queryKey: ['merge-preview', keepId, otherId],
    queryFn: () =>
      get<MergePreview>(
        `/api/v1/contacts/${encodeURIComponent(keepId)}/merge-preview${qs({ otherContactId: otherId })}`,
      ),
    enabled: otherId !== null,
  });
  const merge = useMutation({
    mutationFn: () =>
      post<MergeResult>(`/api/v1/contacts/${encodeURIComponent(keepId)}/merge`, { otherContactId: otherId }),
    onSuccess: (r) => {
      // Both contacts, their conversations and every list that showed them changed.
      void qc.invalidateQueries();
      onMerged?.(r);
      onClose();
    },
  });
  const p = preview.data;
  return (
    <Modal opened={otherId !== null} onClose={onClose} title={t('dup.mergeTitle')} size="lg" centered>
      <Stack gap="sm" data-testid="merge-dialog">
        {preview.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
        {preview.isError && <ErrorAlert error={preview.error} />}
        {p && (
          <>
            <Text size="sm">{t('dup.rule')}</Text>
            <Table.ScrollContainer minWidth={420}>
              <Table verticalSpacing={4} data-testid="merge-fields">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('dup.field')}</Table.Th>
                    <Table.Th>{t('dup.kept')}</Table.Th>
                    <Table.Th>{t('dup.other')}</Table.Th>
                    <Table.Th>{t('dup.result')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.fields.map((f) => (
                    <Table.Tr key={f.field} data-testid="merge-field">
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm" className="sb-text">
                            {f.field}
                          </Text>
                          {f.conflict && (
                            <Badge size="xs" color="orange" variant="light">
                              {t('dup.conflict')}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td className="sb-text">{show(f.survivor)}</Table.Td>
                      <Table.Td className="sb-text">{show(f.other)}</Table.Td>
                      <Table.Td className="sb-text">{show(f.result)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="sm" c="dimmed" data-testid="merge-moves">
              {t('dup.moves', {
                identities: p.moves.identities,
                conversations: p.moves.conversations,
                notes: p.moves.notes,
              })}
            </Text>
          </>
        )}
        {merge.isError && <ErrorAlert error={merge.error} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="orange"
            disabled={!p}
            loading={merge.isPending}
            onClick={() => merge.mutate()}
            data-testid="merge-confirm"
          >
            {t('dup.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
