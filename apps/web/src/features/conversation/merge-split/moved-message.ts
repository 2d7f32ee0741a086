import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Message } from '../../../api/types.ts';

type MessagePages = InfiniteData<{ items: Message[]; nextCursor: string | null }, unknown>;

/**
 * A message a merge or split moved arrives as `message.updated` with its new conversation: the histories
 * of other conversations that still hold it let it go, so no conversation on screen shows it twice.
 */
export function dropMovedMessage(qc: QueryClient, msg: Message): void {
  for (const [key, data] of qc.getQueriesData<MessagePages>({ queryKey: ['messages'] })) {
    if (key[1] === msg.conversationId || !data?.pages.some((p) => p.items.some((m) => m.id === msg.id)))
      continue;
    qc.setQueryData<MessagePages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.filter((m) => m.id !== msg.id) })),
    });
  }
}
