import type { AccountEvent } from '@switchboard/shared';
import type { QueryClient } from '@tanstack/react-query';
import { get } from '../../api/http.ts';
import type { Conversation, Message, ReadState } from '../../api/types.ts';
import { applyNoteEvent } from '../conversation/contact-notes-cache.ts';
import { applyReadState, cachedUnread, countIncoming, keepUnread } from './unread.ts';
import { affectsCounts, refreshCounts } from './use-counts.ts';

function cachedConversation(qc: QueryClient, id: string): Conversation | undefined {
  const own = qc.getQueryData<Conversation>(['conversation', id]);
  if (own) return own;
  for (const [, data] of qc.getQueriesData<{ pages: { items: Conversation[] }[] }>({
    queryKey: ['conversations'],
  }))
    for (const p of data?.pages ?? []) for (const c of p.items) if (c.id === id) return c;
  return undefined;
}

const unknownUnread = new Map<string, ReturnType<typeof setTimeout>>();

/** Asks the server for this operator's unread count of a conversation the console had not loaded. */
function fetchUnread(qc: QueryClient, id: string): void {
  if (unknownUnread.has(id)) return;
  unknownUnread.set(
    id,
    setTimeout(() => {
      get<Conversation>(`/api/v1/conversations/${encodeURIComponent(id)}`)
        .then((c) => {
          if (c.unreadCount !== undefined)
            applyReadState(qc, {
              conversationId: id,
              userId: '',
              lastReadMessageId: null,
              lastReadAt: null,
              unreadCount: c.unreadCount,
            });
        })
        .catch(() => {})
        .finally(() => unknownUnread.delete(id));
    }, 500),
  );
}

/**
 * Every changed conversation (from an event or an action's answer) passes here before it is cached:
 * it keeps this operator's unread count, and schedules a count refresh when a view's figure can change.
 */
export function prepareConversation(qc: QueryClient, conv: Conversation): Conversation {
  const before = cachedConversation(qc, conv.id);
  if (affectsCounts(before, conv)) refreshCounts(qc);
  // New to this console: nothing unread yet; its messages' events count up from here.
  return keepUnread(conv, cachedUnread(qc, conv.id) ?? (before === undefined ? 0 : undefined));
}

/** Inbox-side reactions to account events: unread counts, read markers, contact notes. */
export function applyInboxEvent(qc: QueryClient, e: AccountEvent): void {
  switch (e.type) {
    case 'conversation.updated': {
      // An older conversation this console never loaded, come back to life: ask for its unread count.
      const id = (e.payload as Conversation).id;
      if (typeof id === 'string' && !cachedConversation(qc, id)) fetchUnread(qc, id);
      break;
    }
    case 'message.created':
      countIncoming(qc, e.payload as Message);
      break;
    case 'conversation.read':
      applyReadState(qc, e.payload as ReadState);
      break;
    case 'contact_note.created':
    case 'contact_note.updated':
    case 'contact_note.deleted':
      applyNoteEvent(qc, e.type, e.payload);
      break;
    default:
      break;
  }
}
