import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useUsers } from '../../api/directory.ts';
import { ApiError, get, qs } from '../../api/http.ts';
import type { Conversation, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import { PresenceDot } from '../presence/presence-select.tsx';

const REFRESH_MS = 15_000;

export function formatWait(t: Translate, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return t('duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('duration.hours', { h: hours, m: minutes % 60 });
  return t('duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/**
 * What a supervisor watches: who is online, how many open conversations each operator has, how long
 * the queue is and how long its oldest customer has waited. Live events refresh it (see live-provider).
 */
export function SupervisePage() {
  const { t, fmt } = useI18n();
  const users = useUsers();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const queue = useQuery({
    queryKey: ['supervisor', 'queue'],
    queryFn: () => get<{ items: Conversation[] }>(`/api/v1/queue${qs({ limit: 200 })}`),
    refetchInterval: REFRESH_MS,
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const active = (users.data ?? []).filter((u) => u.active);
  const loads = useQueries({
    queries: active.map((u) => ({
      queryKey: ['supervisor', 'load', u.id],
      queryFn: () =>
        get<Page<Conversation>>(`/api/v1/conversations${qs({ assignee: u.id, status: 'open', limit: 200 })}`),
      refetchInterval: REFRESH_MS,
    })),
  });
  const waiting = queue.data?.items ?? [];
  const oldest = waiting.reduce<number | null>((min, c) => {
    const since = c.lastInboundAt ?? c.createdAt;
    return min === null || since < min ? since : min;
  }, null);
  const queueCount = waiting.length >= 200 ? '200+' : fmt.number(waiting.length);

  return (
    <Stack maw={1000}>
      <Title order={1} size="h3">
        {t('supervise.title')}
      </Title>
      {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      {queue.isError && <ErrorAlert error={queue.error} />}
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Stat label={t('supervise.queue')} value={queue.data ? queueCount : '…'} testId="stat-queue" />
        <Stat
          label={t('supervise.oldest')}
          value={oldest === null ? t('supervise.noQueue') : formatWait(t, now - oldest)}
          testId="stat-oldest"
        />
        <Stat
          label={t('supervise.online')}
          value={users.data ? fmt.number(active.filter((u) => u.availability === 'online').length) : '…'}
          testId="stat-online"
        />
      </SimpleGrid>
      {users.data && (
        <Table.ScrollContainer minWidth={520}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('supervise.operator')}</Table.Th>
                <Table.Th>{t('supervise.presence')}</Table.Th>
                <Table.Th>{t('supervise.open')}</Table.Th>
                <Table.Th>{t('supervise.capacity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((u, i) => {
                const load = loads[i]?.data;
                const open = load ? (load.nextCursor ? '200+' : fmt.number(load.items.length)) : '…';
                const full = load && !load.nextCursor && u.capacity > 0 && load.items.length >= u.capacity;
                return (
                  <Table.Tr key={u.id} data-testid="supervise-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {u.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`role.${u.role}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <PresenceDot value={u.availability} />
                        <Text size="sm">{t(`presence.${u.availability}`)}</Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={full ? 'orange' : 'blue'} variant="light" data-testid="supervise-open">
                        {open}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{fmt.number(u.capacity)}</Table.Td>
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
