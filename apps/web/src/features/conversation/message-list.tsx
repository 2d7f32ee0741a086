import { Center, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useUserNames } from '../../api/directory.ts';
import type { Message } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { flattenMessages } from '../../realtime/cache-updates.ts';
import { MessageItem } from './message-item.tsx';
import { SplitCheckbox } from './merge-split/split-bar.tsx';
import { useMessages } from './use-conversation-data.ts';

const NEAR_BOTTOM_PX = 120;
const NEAR_TOP_PX = 300;
const MAX_FOCUS_PAGES = 40;

interface Props {
  conversationId: string;
  meId: string;
  onRetry(m: Message): void;
  /** The newest customer message is on screen (its time and id). */
  onSeen(upTo: number, messageId: string): void;
  /** Open at this message (from search) instead of the newest, paging back until it is loaded. */
  focusId?: string;
}

/**
 * The history, virtualised: only messages near the viewport are rendered, so a conversation with
 * thousands of messages scrolls smoothly. It opens at the newest message, follows new ones while the
 * operator is at the bottom, and loads older pages when scrolled to the top without jumping.
 */
export function MessageList({ conversationId, meId, onRetry, onSeen, focusId }: Props) {
  const { t } = useI18n();
  const q = useMessages(conversationId);
  const users = useUserNames();
  const messages = useMemo(() => flattenMessages(q.data), [q.data]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<string | null>(null);
  const lastId = useRef<string | null>(null);
  const focused = useRef(false);
  const focusPages = useRef(0);

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 72,
    overscan: 10,
    getItemKey: (i) => messages[i]?.id ?? i,
  });

  const toBottom = useCallback(() => {
    if (messages.length === 0) return;
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    // Rows are measured as they render; settle once more after layout.
    requestAnimationFrame(() => {
      const el = scrollRef.current;
      if (el) el.scrollTop = el.scrollHeight;
    });
  }, [messages.length, virtualizer]);

  // Older page arrived: keep the message that was on top where it was.
  useLayoutEffect(() => {
    const first = messages[0]?.id ?? null;
    if (anchor.current && first !== anchor.current) {
      const idx = messages.findIndex((m) => m.id === anchor.current);
      if (idx > 0) virtualizer.scrollToIndex(idx, { align: 'start' });
      anchor.current = null;
    }
  }, [messages, virtualizer]);

  // Opened at a message: page back until it is loaded (bounded), then bring it to the middle.
  useEffect(() => {
    if (!focusId || focused.current || q.isPending) return;
    const idx = messages.findIndex((m) => m.id === focusId);
    if (idx >= 0) {
      focused.current = true;
      atBottom.current = false;
      virtualizer.scrollToIndex(idx, { align: 'center' });
      requestAnimationFrame(() => virtualizer.scrollToIndex(idx, { align: 'center' }));
    } else if (q.hasNextPage && !q.isFetchingNextPage && focusPages.current < MAX_FOCUS_PAGES) {
      focusPages.current++;
      void q.fetchNextPage();
    } else if (!q.hasNextPage || focusPages.current >= MAX_FOCUS_PAGES) {
      focused.current = true;
    }
  }, [focusId, messages, q.isPending, q.hasNextPage, q.isFetchingNextPage, q.fetchNextPage, virtualizer]);

  // New message at the end: follow it when the operator was at the bottom or wrote it.
  useEffect(() => {
    const last = messages[messages.length - 1];
    if (!last || last.id === lastId.current) return;
    const first = lastId.current === null;
    lastId.current = last.id;
    const mine = last.direction === 'out' && last.authorId === meId;
    if (first && focusId) return;
    if (first || atBottom.current || mine) toBottom();
    const newestInbound = [...messages].reverse().find((m) => m.direction === 'in');
    if (newestInbound && (first || atBottom.current)) onSeen(newestInbound.createdAt, newestInbound.id);
  }, [messages, meId, toBottom, onSeen, focusId]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) {
      const newestInbound = [...messages].reverse().find((m) => m.direction === 'in');
      if (newestInbound) onSeen(newestInbound.createdAt, newestInbound.id);
    }
    if (
      el.scrollTop < NEAR_TOP_PX &&
      q.hasNextPage &&
      !q.isFetchingNextPage &&
      (!focusId || focused.current)
    ) {
      anchor.current = messages[0]?.id ?? null;
      void q.fetchNextPage();
    }
  };

  if (q.isPending)
    return (
      <Center flex={1}>
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  if (q.isError)
    return (
      <div style={{ flex: 1, padding: 16 }}>
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      style={{ flex: 1, minHeight: 0, overflowY: 'auto', overflowAnchor: 'none' }}
      role="log"
      aria-live="polite"
      aria-label={t('composer.label')}
      data-testid="message-list"
    >
      <Center py="xs" mih={32}>
        {q.isFetchingNextPage ? (
          <Text size="xs" c="dimmed">
            {t('conv.loadingOlder')}
          </Text>
        ) : !q.hasNextPage && messages.length > 0 ? (
          <Text size="xs" c="dimmed">
            {t('conv.start')}
          </Text>
        ) : null}
      </Center>
      {messages.length === 0 && (
        <Center p="xl">
          <Text c="dimmed" size="sm">
            {t('conv.noMessages')}
          </Text>
        </Center>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div
            key={v.key}
            data-index={v.index}
            ref={virtualizer.measureElement}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
          >
            <div style={{ display: 'flex' }}>
              <SplitCheckbox conversationId={conversationId} messageId={messages[v.index]!.id} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <MessageItem
                  m={messages[v.index]!}
                  meId={meId}
                  users={users}
                  onRetry={onRetry}
                  highlight={messages[v.index]!.id === focusId}
                />
              </div>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
