import { Badge, Button, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { AuditEntryDto, Page } from '@switchboard/shared';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, qs } from '../../api/http.ts';
import type { User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { type AuditFilter, auditQuery, EMPTY_AUDIT_FILTER as EMPTY } from './audit-query.ts';

/** Administration → Audit log: who did what to which record, from where; filtered, newest first. */
export function AuditPage() {
  const { t, fmt } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const set = (patch: Partial<AuditFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => get<{ items: User[] }>('/api/v1/users').then((r) => r.items),
  });
  const actions = useQuery({
    queryKey: ['audit-log', 'actions'],
    queryFn: () => get<{ items: string[] }>('/api/v1/audit-log/actions').then((r) => r.items),
  });
  const query = auditQuery(filter);
  const list = useInfiniteQuery({
    queryKey: ['audit-log', query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<AuditEntryDto>>(`/api/v1/audit-log${qs({ ...query, limit: 50, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = JSON.stringify(filter) !== JSON.stringify(EMPTY);

  return (
    <Stack maw={1200}>
      <Title order={1} size="h3">
        {t('admin.audit.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.audit.intro')}
      </Text>
      <Group align="flex-end" gap="sm" data-testid="audit-filters">
        <Select
          label={t('admin.audit.actor')}
          placeholder={t('admin.audit.anyone')}
          value={filter.actor}
          onChange={(v) => set({ actor: v })}
          clearable
          searchable
          data={[
            { value: 'system', label: t('admin.audit.system') },
            ...(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
          ]}
          w={240}
          data-testid="audit-actor"
        />
        <Select
          label={t('admin.audit.action')}
          placeholder={t('admin.audit.anyAction')}
          value={filter.action}
          onChange={(v) => set({ action: v })}
          clearable
          searchable
          data={actions.data ?? []}
          w={220}
          data-testid="audit-action"
        />
        <TextInput
          type="date"
          label={t('admin.audit.from')}
          value={filter.from}
          onChange={(e) => set({ from: e.currentTarget.value })}
          data-testid="audit-from"
        />
        <TextInput
          type="date"
          label={t('admin.audit.to')}
          value={filter.to}
          onChange={(e) => set({ to: e.currentTarget.value })}
          data-testid="audit-to"
        />
        <TextInput
          label={t('admin.audit.target')}
          value={filter.targetId}
          onChange={(e) => set({ targetId: e.currentTarget.value })}
          w={200}
          data-testid="audit-target"
        />
        {filtered && (
          <Button variant="subtle" onClick={() => setFilter(EMPTY)}>
            {t('admin.audit.clear')}
          </Button>
        )}
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && (
        <Text c="dimmed" data-testid="audit-empty">
          {t('admin.audit.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="xs" data-testid="audit-log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.audit.time')}</Table.Th>
                <Table.Th>{t('admin.audit.actor')}</Table.Th>
                <Table.Th>{t('admin.audit.action')}</Table.Th>
                <Table.Th>{t('admin.audit.target')}</Table.Th>
                <Table.Th>{t('admin.audit.details')}</Table.Th>
                <Table.Th>IP</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id} data-action={e.action}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(e.createdAt)}</Table.Td>
                  <Table.Td>
                    {e.user ? <bdi>{e.user.name}</bdi> : <Text c="dimmed">{t('admin.audit.system')}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" tt="none">
                      {e.action}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {e.targetType && (
                      <Text size="xs">
                        {e.targetType}{' '}
                        <Text span ff="monospace" size="xs">
                          {e.targetId}
                        </Text>
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td maw={360}>
                    {Object.keys(e.details).length > 0 && (
                      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                        {JSON.stringify(e.details)}
                      </Code>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {e.ip ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          w="fit-content"
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('admin.audit.more')}
        </Button>
      )}
    </Stack>
  );
}
