import { type InfiniteData, type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { post } from '../../api/http.ts';
import type { Conversation, Message, Page, ReadState } from '../../api/types.ts';

/**
 * Unread state lives on the server, per operator (read markers). The console keeps each cached
 * conversation's `unreadCount` current between fetches: +1 for each customer message, the server's
 * figure when a `conversation.read` arrives (from this tab or the operator's other ones).
 */

type Pages = InfiniteData<Page<Conversation>, unknown>;

function updateEverywhere(qc: QueryClient, id: string, fn: (c: Conversation) => Conversation): void {
  for (const [key, data] of qc.getQueriesData<Pages>({ queryKey: ['conversations'] })) {
    if (!data?.pages.some((p) => p.items.some((c) => c.id === id))) continue;
    qc.setQueryData<Pages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.map((c) => (c.id === id ? fn(c) : c)) })),
    });
  }
  const one = qc.getQueryData<Conversation>(['conversation', id]);
  if (one) qc.setQueryData<Conversation>(['conversation', id], fn(one));
}

/** What the cache knows of a conversation's unread count (undefined: not known here). */
export function cachedUnread(qc: QueryClient, id: string): number | undefined {
  const one = qc.getQueryData<Conversation>(['conversation', id]);
  if (one?.unreadCount !== undefined) return one.unreadCount;
  for (const [, data] of qc.getQueriesData<Pages>({ queryKey: ['conversations'] }))
    for (const p of data?.pages ?? [])
      for (const c of p.items) if (c.id === id && c.unreadCount !== undefined) return c.unreadCount;
  return undefined;
}

/**
 * Conversation payloads from events carry no unread count (they are shared by every operator): keep
 * the one this console already has.
 */
export function keepUnread(incoming: Conversation, known: number | undefined): Conversation {
  if (incoming.unreadCount !== undefined || known === undefined) return incoming;
  return { ...incoming, unreadCount: known };
}

export function applyReadState(qc: QueryClient, r: ReadState): void {
  updateEverywhere(qc, r.conversationId, (c) => ({ ...c, unreadCount: r.unreadCount }));
}

/** A customer message arrived: one more unread, wherever the conversation is cached. */
export function countIncoming(qc: QueryClient, msg: Message): void {
  if (msg.direction !== 'in' || msg.private) return;
  updateEverywhere(qc, msg.conversationId, (c) => ({ ...c, unreadCount: (c.unreadCount ?? 0) + 1 }));
}

export function isUnread(c: Conversation): boolean {
  return (c.unreadCount ?? 0) > 0;
}

/**
 * Marks the open conversation read as the operator sees its newest customer message — only while
 * the tab is visible, so a console left open in the background does not clear the badge the operator
 * would see in their other browser. Each message is sent once, and not at all when nothing is unread.
 */
export function useMarkRead(conversationId: string): (upTo: number, messageId?: string) => void {
  const qc = useQueryClient();
  const sent = useRef<string | null>(null);
  const pending = useRef<string | null>(null);

  const send = useCallback(
    (messageId: string) => {
      pending.current = null;
      // Nothing to clear, or already asked: a read marker only needs to move once per message.
      if (sent.current === messageId || cachedUnread(qc, conversationId) === 0) return;
      sent.current = messageId;
      post<ReadState>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/read`, { messageId })
        .then((r) => applyReadState(qc, r))
        .catch(() => {
          // Not fatal: the badge stays until the next time the message is seen.
          sent.current = null;
        });
    },
    [qc, conversationId],
  );

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && pending.current) send(pending.current);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [send]);

  return useCallback(
    (_upTo: number, messageId?: string) => {
      if (!messageId) return;
      if (document.visibilityState !== 'visible') pending.current = messageId;
      else send(messageId);
    },
    [send],
  );
}

/**
 * Marks a conversation unread again for this operator (the server moves the marker back to just
 * before the newest customer message); the badge comes back here and, through the personal
 * `conversation.read` event, in the operator's other tabs.
 */
export function useMarkUnread(conversationId: string): () => Promise<void> {
  const qc = useQueryClient();
  return useCallback(
    () =>
      post<ReadState>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/unread`).then((r) =>
        applyReadState(qc, r),
      ),
    [qc, conversationId],
  );
}
