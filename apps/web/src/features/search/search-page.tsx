import { type ConversationStatus, type SearchHit, contactLabel } from '@switchboard/shared';
import {
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Conversation, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { ExportButton } from '../inbox/export-dialog.tsx';
import { inboxHref } from '../inbox/inbox-route.ts';
import { highlightRuns } from './highlight.ts';
import { SearchBox } from './search-box.tsx';
import { SearchFilters } from './search-filters.tsx';
import { type SearchState, searchApiParams, searchHref } from './search-route.ts';

async function openHit(hit: SearchHit) {
  let id = hit.conversationId;
  if (!id) {
    // A contact match: open the customer's latest conversation.
    const latest = await get<Page<Conversation>>(
      `/api/v1/conversations${qs({ contact: hit.contact.id, limit: 1 })}`,
    );
    id = latest.items[0]?.id ?? null;
  }
  if (!id) return;
  const href = inboxHref({ view: 'all', status: 'any' }, id);
  // A message match opens the conversation at that message.
  navigate(
    hit.messageId ? `${href}${href.includes('?') ? '&' : '?'}m=${encodeURIComponent(hit.messageId)}` : href,
  );
}

/** Full-text search over messages, notes and contacts; snippets show the matched words. */
export function SearchPage({ state }: { state: SearchState }) {
  const { t, fmt, lang } = useI18n();
  const { q, sort } = state;
  const results = useInfiniteQuery({
    queryKey: ['search', searchApiParams(state)],
    queryFn: ({ pageParam }) =>
      get<Page<SearchHit>>(
        `/api/v1/search${qs({ ...searchApiParams(state), limit: 20, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: q.trim().length > 0,
  });
  const hits = results.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack maw={1100}>
      {/* The one search box of this screen (the header's is not shown here); it keeps the filters. */}
      <SearchBox initial={q} autoFocus={!q} hrefFor={(text) => searchHref({ ...state, q: text })} />
      <SearchFilters state={state} />
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {q ? t('search.results', { q }) : t('search.title')}
        </Title>
        <Group gap="xs" wrap="nowrap">
          {q.trim() && <ExportButton filter={{ view: 'all', status: 'any' }} q={q} />}
          <Select
            size="xs"
            w={220}
            aria-label={t('search.sort')}
            value={sort}
            allowDeselect={false}
            onChange={(v) =>
              v && navigate(searchHref({ ...state, sort: v === 'recent' ? 'recent' : 'relevance' }))
            }
            data={[
              { value: 'relevance', label: t('search.sortRelevance') },
              { value: 'recent', label: t('search.sortRecent') },
            ]}
          />
        </Group>
      </Group>
      {results.isError && <ErrorAlert error={results.error} onRetry={() => void results.refetch()} />}
      {results.isFetching && !results.isFetchingNextPage && (
        <Center>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {results.isSuccess && hits.length === 0 && <Text c="dimmed">{t('search.empty')}</Text>}
      {hits.map((hit) => (
        <UnstyledButton
          key={`${hit.kind}:${hit.messageId ?? hit.contact.id}`}
          onClick={() => void openHit(hit)}
          data-testid="search-hit"
        >
          <Paper withBorder p="sm">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Group gap={6} wrap="nowrap" miw={0}>
                <Text fw={600} size="sm" truncate>
                  {contactLabel(hit.contact, lang)}
                </Text>
                {hit.kind === 'contact' && (
                  <Badge size="xs" variant="light">
                    {t('search.contact')}
                  </Badge>
                )}
                {hit.message?.private && (
                  <Badge size="xs" color="yellow" variant="light">
                    {t('conv.privateNote')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }} data-testid="search-hit-date">
                <time dateTime={new Date(hit.createdAt).toISOString()}>{fmt.dateTime(hit.createdAt)}</time>
              </Text>
            </Group>
            {hit.conversation && (
              <Group gap={6} mt={4} wrap="wrap">
                <Group gap={4} wrap="nowrap" data-testid="search-hit-channel">
                  <ChannelIcon
                    type={hit.conversation.channel.type}
                    title={hit.conversation.channel.name}
                    decorative
                  />
                  <Text size="xs" c="gray.7">
                    {hit.conversation.channel.name}
                  </Text>
                </Group>
                <Badge
                  size="xs"
                  variant="light"
                  data-testid="search-hit-status"
                  data-status={hit.conversation.status}
                  title={t('search.hit.status', {
                    status: t(`status.single.${hit.conversation.status as ConversationStatus}`),
                  })}
                >
                  {t(`status.single.${hit.conversation.status as ConversationStatus}`)}
                </Badge>
              </Group>
            )}
            <Text size="sm" className="sb-text" mt={4} data-testid="search-snippet">
              {highlightRuns(hit.snippet.text, hit.snippet.highlights).map((r, i) =>
                r.hit ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional slices of one fixed text
                  <mark key={i}>{r.text}</mark>
                ) : (
                  r.text
                ),
              )}
            </Text>
          </Paper>
        </UnstyledButton>
      ))}
      {results.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void results.fetchNextPage()}
          loading={results.isFetchingNextPage}
        >
          {t('search.more')}
        </Button>
      )}
    </Stack>
  );
}
