import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { DeadEventDetailDto, DeadEventDto, DeadEventPage } from '@switchboard/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get, post, qs } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

type Filter = 'dead' | 'discarded';

/**
 * Administration → Dead events: provider events whose processing failed for good. Each can be opened
 * (the stored payload and the error), retried or set aside; nothing a provider delivered disappears.
 */
export function DeadEventsPage() {
  const { t, fmt } = useI18n();
  const [filter, setFilter] = useState<Filter>('dead');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['dead-events', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<DeadEventPage>(`/api/v1/dead-events${qs({ status: filter, limit: 50, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack maw={1100}>
      <Title order={1} size="h3">
        {t('admin.dead.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.dead.intro')}
      </Text>
      <SegmentedControl
        w="fit-content"
        value={filter}
        onChange={(v) => {
          setFilter(v as Filter);
          setOpenId(null);
        }}
        data={[
          { value: 'dead', label: t('admin.dead.filter.dead') },
          { value: 'discarded', label: t('admin.dead.filter.discarded') },
        ]}
      />
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && (
        <Text c="dimmed" data-testid="dead-events-empty">
          {filter === 'dead' ? t('admin.dead.empty') : t('admin.dead.emptyDiscarded')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="dead-events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.dead.failedAt')}</Table.Th>
                <Table.Th>{t('admin.dead.channel')}</Table.Th>
                <Table.Th>{t('admin.dead.eventId')}</Table.Th>
                <Table.Th>{t('admin.dead.error')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id} data-event-id={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {e.failedAt ? fmt.dateTime(e.failedAt) : '—'}
                  </Table.Td>
                  <Table.Td>
                    <bdi>{e.channel.name}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="xs">
                      {e.providerEventId}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Text size="xs" lineClamp={2}>
                      {e.lastError}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant={openId === e.id ? 'filled' : 'light'}
                      onClick={() => setOpenId(openId === e.id ? null : e.id)}
                    >
                      {t('admin.dead.open')}
                    </Button>
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
          {t('admin.dead.more')}
        </Button>
      )}
      {openId && <DeadEventDetail id={openId} onClose={() => setOpenId(null)} />}
    </Stack>
  );
}

const STATUS_COLOR: Record<DeadEventDto['status'], string> = {
  dead: 'red',
  retrying: 'blue',
  processed: 'green',
  discarded: 'gray',
};

function DeadEventDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: ['dead-event', id],
    queryFn: () => get<DeadEventDetailDto>(`/api/v1/dead-events/${encodeURIComponent(id)}`),
    // A retried event settles within seconds: follow it until it is processed or dead again.
    refetchInterval: (q) => (q.state.data?.status === 'retrying' ? 1500 : false),
  });
  const act = useMutation({
    mutationFn: (action: 'retry' | 'discard') =>
      post<DeadEventDetailDto>(`/api/v1/dead-events/${encodeURIComponent(id)}/${action}`),
    onSuccess: (ev) => {
      qc.setQueryData(['dead-event', id], ev);
      void qc.invalidateQueries({ queryKey: ['dead-events'] });
    },
  });
  const ev = detail.data;
  const statusKey = ev ? (`admin.dead.status.${ev.status}` as const) : null;

  return (
    <Stack gap="sm" p="md" bd="1px solid var(--mantine-color-default-border)" data-testid="dead-event-detail">
      {detail.isError && <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />}
      {ev && statusKey && (
        <>
          <Group justify="space-between">
            <Group gap="xs">
              <Title order={2} size="h5">
                {t('admin.dead.detail')}
              </Title>
              <Badge color={STATUS_COLOR[ev.status]} data-testid="dead-event-status">
                {t(statusKey)}
              </Badge>
            </Group>
            <Button size="compact-sm" variant="subtle" onClick={onClose}>
              {t('common.close')}
            </Button>
          </Group>
          <Text size="sm">
            <bdi>{ev.channel.name}</bdi> · {ev.providerEventId} · {t('admin.dead.receivedAt')}{' '}
            {fmt.dateTime(ev.receivedAt)}
            {ev.discardedAt && ev.discardedBy
              ? ` · ${t('admin.dead.discardedBy', { name: ev.discardedBy.name, at: fmt.dateTime(ev.discardedAt) })}`
              : ''}
          </Text>
          {ev.lastError && (
            <Alert color="red" title={t('admin.dead.error')}>
              <Text
                size="sm"
                ff="monospace"
                style={{ wordBreak: 'break-word' }}
                data-testid="dead-event-error"
              >
                {ev.lastError}
              </Text>
            </Alert>
          )}
          <Text size="sm" fw={500}>
            {t('admin.dead.payload')}
          </Text>
          <ScrollArea.Autosize mah={360}>
            <Code block data-testid="dead-event-payload">
              {JSON.stringify(ev.payload, null, 2)}
            </Code>
          </ScrollArea.Autosize>
          {act.isError && <ErrorAlert error={act.error} />}
          <Group>
            <Button
              onClick={() => act.mutate('retry')}
              loading={act.isPending && act.variables === 'retry'}
              disabled={ev.status !== 'dead' && ev.status !== 'discarded'}
            >
              {t('admin.dead.retry')}
            </Button>
            <Button
              variant="light"
              color="gray"
              onClick={() => act.mutate('discard')}
              loading={act.isPending && act.variables === 'discard'}
              disabled={ev.status !== 'dead'}
            >
              {t('admin.dead.discard')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
