import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocation } from '../../lib/router.ts';
import { applyNotificationsRead, markNotificationsRead, useNotifications } from './notifications-api.ts';

/**
 * An open conversation (`/inbox/<view>/<id>`) reads the notifications that point to it: what the mention
 * or hand-over was about is on screen. The server does the same when the conversation is marked read;
 * this covers a conversation with nothing unread in it (a note does not count as unread).
 */
export function useReadNotificationsOnOpen(): void {
  const qc = useQueryClient();
  const loc = useLocation();
  const list = useNotifications();
  const conversationId = loc.segments[0] === 'inbox' ? loc.segments[2] : undefined;
  const pending = (list.data?.items ?? []).filter(
    (n) => n.readAt === null && n.conversationId === conversationId,
  );
  const key = pending.map((n) => n.id).join(',');

  useEffect(() => {
    if (!conversationId || !key) return;
    void markNotificationsRead({ conversationId })
      .then((r) =>
        applyNotificationsRead(qc, { ids: key.split(','), all: false, unreadCount: r.unreadCount }),
      )
      .catch(() => {
        // Not fatal: the bell keeps them unread until the next time.
      });
  }, [qc, conversationId, key]);
}
