import { Center, Loader } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { useUserNames } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { InboxEmpty } from '../first-steps/inbox-empty.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { InboxFilter } from './inbox-filter.ts';
import { useDensity } from '../../lib/density.ts';
import { ConversationRow, ROW_HEIGHTS } from './conversation-row.tsx';
import { isUnread } from './unread.ts';
import { useConversationList } from './use-conversations.ts';

interface Props {
  filter: InboxFilter;
  meId: string;
  activeId: string | undefined;
  hrefFor(id: string): string;
  onOpen(id: string): void;
}

/** The inbox list: virtualised (only visible rows are in the DOM) and paged as the operator scrolls. */
export function ConversationList({ filter, meId, activeId, hrefFor, onOpen }: Props) {
  const { t } = useI18n();
  const list = useConversationList(filter);
  const users = useUserNames();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [density] = useDensity();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHTS[density],
    overscan: 6,
    getItemKey: (i) => items[i]?.id ?? i,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems[virtualItems.length - 1]?.index ?? 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rows change height with the density: measure again
  useEffect(() => {
    virtualizer.measure();
  }, [density, virtualizer]);

  useEffect(() => {
    if (lastVisible >= items.length - 10 && list.hasNextPage && !list.isFetchingNextPage)
      void list.fetchNextPage();
  }, [lastVisible, items.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  if (list.isPending)
    return (
      <Center p="xl">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <div ref={scrollRef} style={{ flex: 1, minHeight: 0, overflowY: 'auto' }} data-testid="conversation-list">
      {items.length === 0 ? (
        <InboxEmpty filter={filter} />
      ) : (
        <ul
          aria-label={t('inbox.conversations')}
          style={{
            height: virtualizer.getTotalSize(),
            position: 'relative',
            margin: 0,
            padding: 0,
            listStyle: 'none',
          }}
        >
          {virtualItems.map((v) => {
            const conv = items[v.index]!;
            return (
              <li
                key={v.key}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${v.start}px)`,
                }}
              >
                <ConversationRow
                  conv={conv}
                  active={conv.id === activeId}
                  meId={meId}
                  users={users}
                  unread={conv.id !== activeId && isUnread(conv) ? (conv.unreadCount ?? 0) : 0}
                  href={hrefFor(conv.id)}
                  density={density}
                  onOpen={onOpen}
                />
              </li>
            );
          })}
        </ul>
      )}
      {list.isFetchingNextPage && (
        <Center p="sm">
          <Loader size="xs" />
        </Center>
      )}
    </div>
  );
}
