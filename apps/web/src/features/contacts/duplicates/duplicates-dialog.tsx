import { Badge, Button, Divider, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import type { DuplicateList } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../../api/http.ts';
import type { Me } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { ContactSettingsForm } from './contact-settings-form.tsx';
import { MergeDialog } from './merge-dialog.tsx';

/**
 * The "possible duplicates" list: groups of contacts sharing a phone or an e-mail, the oldest first (the
 * one suggested to keep); supervisors merge another one into it. Admins set how contacts are compared.
 */
export function DuplicatesDialog({ me, opened, onClose }: { me: Me; opened: boolean; onClose(): void }) {
  const { t } = useI18n();
  const canMerge = me.role === 'admin' || me.role === 'supervisor';
  const [pair, setPair] = useState<{ keep: string; other: string } | null>(null);
  const list = useQuery({
    queryKey: ['duplicates'],
    queryFn: () => get<DuplicateList>('/api/v1/contacts/duplicates?limit=100'),
    enabled: opened,
  });
  const groups = list.data?.items ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={t('dup.title')} size="lg">
      <Stack gap="sm" data-testid="duplicates-dialog">
        {list.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
        {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
        {list.isSuccess && groups.length === 0 && (
          <Text c="dimmed" data-testid="duplicates-empty">
            {t('dup.noneAll')}
          </Text>
        )}
        {groups.map((g) => {
          const [keep, ...others] = g.contacts;
          if (!keep) return null;
          return (
            <Paper key={`${g.reason}:${g.key}`} withBorder p="sm" data-testid="duplicate-group">
              <Stack gap={6}>
                <Text size="sm" fw={700} className="sb-text">
                  {t(`dup.group.${g.reason}`, { key: g.key })}
                </Text>
                {g.contacts.map((c) => (
                  <Group key={c.id} justify="space-between" wrap="nowrap" gap="xs">
                    <Group gap={6} wrap="nowrap" miw={0}>
                      <Text size="sm" className="sb-text" truncate data-testid="duplicate-name">
                        {c.name ?? t('dup.unnamed')}
                      </Text>
                      {c.id === keep.id && (
                        <Badge size="xs" variant="outline">
                          {t('dup.keep')}
                        </Badge>
                      )}
                    </Group>
                    {canMerge && others.some((o) => o.id === c.id) && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="orange"
                        onClick={() => setPair({ keep: keep.id, other: c.id })}
                        data-testid="duplicate-merge"
                      >
                        {t('dup.mergeHere', { name: keep.name ?? t('dup.unnamed') })}
                      </Button>
                    )}
                  </Group>
                ))}
              </Stack>
            </Paper>
          );
        })}
        {list.data?.truncated && (
          <Text size="sm" c="dimmed">
            {t('dup.truncated')}
          </Text>
        )}
        {me.role === 'admin' && (
          <>
            <Divider />
            <ContactSettingsForm />
          </>
        )}
      </Stack>
      {pair && <MergeDialog keepId={pair.keep} otherId={pair.other} onClose={() => setPair(null)} />}
    </Modal>
  );
}
