import type { ContactHistoryItem } from '@switchboard/shared';
import { Badge, Button, Group, Loader, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { navigate } from '../../../lib/router.ts';
import { ChannelIcon } from '../../inbox/channel-icon.tsx';
import { previewText } from '../../inbox/conversation-row.tsx';
import { inboxHref } from '../../inbox/inbox-route.ts';
import { useContactHistory } from './use-history.ts';

/** Consecutive messages of one conversation, in reading order, so each run gets one channel heading. */
function runs(items: ContactHistoryItem[]): ContactHistoryItem[][] {
  const out: ContactHistoryItem[][] = [];
  for (const m of items) {
    const last = out.at(-1);
    if (last && last[0]!.conversationId === m.conversationId) last.push(m);
    else out.push([m]);
  }
  return out;
}

/**
 * The customer's earlier conversations on every channel as one timeline above this one, collapsed
 * until asked for (nothing is fetched before that); older pages load on demand.
 */
export function EarlierHistory({ contactId, conversationId }: { contactId: string; conversationId: string }) {
  const { t, fmt } = useI18n();
  const [opened, toggle] = useDisclosure(false);
  const history = useContactHistory(contactId, conversationId, opened);
  const items = (history.data?.pages.flatMap((p) => p.items) ?? []).slice().reverse();
  return (
    <Stack
      gap={0}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      data-testid="earlier-history"
    >
      <UnstyledButton
        onClick={toggle.toggle}
        aria-expanded={opened}
        px="sm"
        py={4}
        data-testid="earlier-history-toggle"
      >
        <Text size="xs" c="blue">
          {opened ? `▾ ${t('history.hide')}` : `▸ ${t('history.show')}`}
        </Text>
      </UnstyledButton>
      {opened && (
        <Stack gap="xs" px="sm" pb="xs" mah="40vh" style={{ overflowY: 'auto' }}>
          {history.isPending && <Loader size="xs" aria-label={t('common.loading')} />}
          {history.isError && <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />}
          {history.hasNextPage && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => void history.fetchNextPage()}
              loading={history.isFetchingNextPage}
              data-testid="earlier-history-more"
            >
              {t('history.more')}
            </Button>
          )}
          {history.isSuccess && items.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('history.empty')}
            </Text>
          )}
          {runs(items).map((run) => {
            const c = run[0]!.conversation;
            return (
              <Stack key={`${c.id}:${run[0]!.id}`} gap={4} data-testid="earlier-history-run">
                <Group gap={6} wrap="nowrap">
                  <ChannelIcon type={c.channel.type} title={c.channel.name} decorative />
                  <Text size="xs" fw={600} truncate data-testid="earlier-history-channel">
                    {t('history.conversation', { channel: c.channel.name, date: fmt.dateTime(c.createdAt) })}
                  </Text>
                  <Badge size="xs" variant="light" color="gray">
                    {t(`status.single.${c.status as 'open'}`)}
                  </Badge>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => navigate(inboxHref({ view: 'all', status: 'any' }, c.id))}
                  >
                    {t('history.open')}
                  </Button>
                </Group>
                {run.map((m) => (
                  <Paper
                    key={m.id}
                    p={6}
                    radius="sm"
                    bg={m.private ? 'yellow.0' : m.direction === 'in' ? 'gray.0' : 'blue.0'}
                    ml={m.direction === 'out' ? 'xl' : 0}
                    mr={m.direction === 'in' ? 'xl' : 0}
                    data-testid="earlier-history-message"
                    data-direction={m.direction}
                  >
                    <Text size="sm" className="sb-text" style={{ whiteSpace: 'pre-wrap' }}>
                      {m.private && <b>{t('history.note')}: </b>}
                      {m.text ?? previewText(t, `[${m.contentKind}]`)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {fmt.dateTime(m.createdAt)}
                    </Text>
                  </Paper>
                ))}
              </Stack>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
