import { Anchor, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useChannels } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import {
  BroadcastFigures,
  BroadcastProgress,
  ChannelName,
  StatusBadge,
  broadcastTitle,
} from './broadcast-summary.tsx';
import { useBroadcastList } from './broadcasts-api.ts';

/** A link that moves within the console without reloading it (and still opens in a new tab). */
export function go(e: React.MouseEvent, href: string): void {
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(href);
}

/** Broadcasts, newest first: each with its channel, when, status, progress and main figures. */
export function BroadcastList() {
  const { t, fmt } = useI18n();
  const list = useBroadcastList();
  const channels = useChannels();
  const byId = useMemo(() => new Map((channels.data ?? []).map((c) => [c.id, c])), [channels.data]);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack maw={900}>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {t('broadcasts.title')}
        </Title>
        <Button
          component="a"
          href="/broadcasts/new"
          onClick={(e: React.MouseEvent) => go(e, '/broadcasts/new')}
          data-testid="broadcast-new"
        >
          {t('broadcasts.new')}
        </Button>
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && (
        <Center>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {list.isSuccess && items.length === 0 && <Text c="dimmed">{t('broadcasts.empty')}</Text>}
      {items.map((b) => {
        const title = broadcastTitle(t, fmt, b);
        const href = `/broadcasts/${encodeURIComponent(b.id)}`;
        return (
          <Paper key={b.id} withBorder p="sm" data-testid="broadcast-row" data-id={b.id}>
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Anchor
                  href={href}
                  onClick={(e: React.MouseEvent) => go(e, href)}
                  fw={600}
                  className="sb-text"
                  aria-label={t('broadcasts.open', { name: title })}
                  style={{ minWidth: 0, overflowWrap: 'anywhere' }}
                >
                  {title}
                </Anchor>
                <StatusBadge b={b} />
              </Group>
              <Group gap="xs" wrap="wrap">
                <ChannelName channel={byId.get(b.channelId)} />
                <Text size="sm" c="dimmed">
                  {t('broadcasts.created', { when: fmt.dateTime(b.createdAt) })}
                </Text>
              </Group>
              <BroadcastProgress b={b} />
              <BroadcastFigures b={b} />
            </Stack>
          </Paper>
        );
      })}
      {list.hasNextPage && (
        <Button
          variant="light"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          data-testid="broadcast-more"
        >
          {t('broadcasts.more')}
        </Button>
      )}
    </Stack>
  );
}
