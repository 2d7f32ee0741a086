import { ActionIcon, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { SlaPolicy } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useChannels, useTeams } from '../../api/directory.ts';
import { del, get, patch, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import { type SlaDraft, TARGETS, bodyOf, draftOf, emptyDraft, swapFor, targetOf } from './sla-form.ts';
import { SlaPolicyForm } from './sla-policy-form.tsx';

const KEY = ['sla-policies'];

function targetText(t: Translate, seconds: number | null): string | null {
  if (!seconds) return null;
  const { amount, unit } = targetOf(seconds);
  return t(`sla.short.${unit}`, { n: amount });
}

/**
 * Administration › SLA policies: the promises (first response, next response, resolution), in the order
 * that decides which one a conversation follows, and what each applies to.
 */
export function SlaPoliciesPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const channels = useChannels();
  const teams = useTeams();
  const policies = useQuery({
    queryKey: KEY,
    queryFn: () => get<{ items: SlaPolicy[] }>('/api/v1/sla-policies').then((r) => r.items),
  });
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  // A new key remounts the form empty after a save.
  const [formKey, setFormKey] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const done = () => {
    setEditing(null);
    setFormKey((k) => k + 1);
    return refresh();
  };

  const save = useMutation({
    mutationFn: (d: SlaDraft) =>
      editing
        ? patch<SlaPolicy>(`/api/v1/sla-policies/${editing.id}`, bodyOf(d))
        : post<SlaPolicy>('/api/v1/sla-policies', bodyOf(d)),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/sla-policies/${id}`),
    onSuccess: (_r, id) => (editing?.id === id ? done() : refresh()),
  });
  const move = useMutation({
    mutationFn: async ([a, b]: [SlaPolicy, SlaPolicy]) => {
      await patch(`/api/v1/sla-policies/${a.id}`, { position: b.position });
      await patch(`/api/v1/sla-policies/${b.id}`, { position: a.position });
    },
    onSettled: refresh,
  });

  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? id;
  const teamName = (id: string) => teams.data?.find((x) => x.id === id)?.name ?? id;
  const list = policies.data ?? [];
  const error = save.error ?? remove.error ?? move.error;

  return (
    <Stack maw={1100} data-testid="sla-page">
      <Title order={1} size="h3">
        {t('sla.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('sla.intro')}
      </Text>
      <SlaPolicyForm
        key={`${editing?.id ?? 'new'}-${formKey}`}
        initial={editing ? draftOf(editing) : emptyDraft()}
        editingName={editing?.name ?? null}
        saving={save.isPending}
        onSave={(d) => save.mutate(d)}
        onCancel={() => setEditing(null)}
      />
      {error && <ErrorAlert error={error} />}
      {policies.isError && <ErrorAlert error={policies.error} onRetry={() => void policies.refetch()} />}
      {policies.data?.length === 0 && <Text c="dimmed">{t('sla.empty')}</Text>}
      {list.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" data-testid="sla-policies">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sla.col.order')}</Table.Th>
                <Table.Th>{t('sla.name')}</Table.Th>
                <Table.Th>{t('sla.col.targets')}</Table.Th>
                <Table.Th>{t('sla.col.scope')}</Table.Th>
                <Table.Th>{t('sla.col.state')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((p, i) => {
                const scope = [
                  p.appliesTo.channelIds?.length &&
                    t('sla.scope.channels', { list: p.appliesTo.channelIds.map(channelName).join(', ') }),
                  p.appliesTo.teamIds?.length &&
                    t('sla.scope.teams', { list: p.appliesTo.teamIds.map(teamName).join(', ') }),
                  p.appliesTo.labels?.length &&
                    t('sla.scope.labels', { list: p.appliesTo.labels.join(', ') }),
                ].filter((x): x is string => !!x);
                const seconds = {
                  firstResponse: p.firstResponseSeconds,
                  nextResponse: p.nextResponseSeconds,
                  resolution: p.resolutionSeconds,
                };
                return (
                  <Table.Tr key={p.id} data-policy-id={p.id} data-testid="sla-row">
                    <Table.Td>
                      <Group gap={2} wrap="nowrap">
                        <Text size="sm" w={20}>
                          {i + 1}
                        </Text>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`${t('sla.moveUp')}: ${p.name}`}
                          disabled={i === 0 || move.isPending}
                          onClick={() => {
                            const pair = swapFor(list, p.id, -1);
                            if (pair) move.mutate(pair);
                          }}
                          data-testid="sla-up"
                        >
                          ↑
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`${t('sla.moveDown')}: ${p.name}`}
                          disabled={i === list.length - 1 || move.isPending}
                          onClick={() => {
                            const pair = swapFor(list, p.id, 1);
                            if (pair) move.mutate(pair);
                          }}
                          data-testid="sla-down"
                        >
                          ↓
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500} data-testid="sla-row-name">
                        {p.name}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="sla-row-targets">
                      {TARGETS.map((k) => {
                        const v = targetText(t, seconds[k]);
                        return v ? (
                          <Text size="xs" key={k}>
                            {t(`sla.target.${k}`)} {v}
                          </Text>
                        ) : null;
                      })}
                      {p.businessHours && (
                        <Text size="xs" c="dimmed">
                          {t('sla.working')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td data-testid="sla-row-scope">
                      <Text size="xs">{scope.length ? scope.join('; ') : t('sla.everything')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={p.active ? 'green' : 'gray'} data-testid="sla-row-state">
                        {p.active ? t('sla.on') : t('sla.off')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(p)}
                          data-testid="sla-edit"
                        >
                          {t('sla.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant={confirming === p.id ? 'filled' : 'subtle'}
                          color="red"
                          onClick={() => (confirming === p.id ? remove.mutate(p.id) : setConfirming(p.id))}
                          data-testid="sla-delete"
                        >
                          {confirming === p.id ? t('sla.confirmDelete') : t('sla.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
