import type { NotificationDto, NotificationList, notificationReadBody } from '@switchboard/shared';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { get, post } from '../../api/http.ts';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The newest notifications of the signed-in user and the unread count; kept current by socket events. */
export function useNotifications() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => get<NotificationList>('/api/v1/notifications?limit=30'),
    staleTime: 60_000,
  });
}

export type ReadRequest = z.input<typeof notificationReadBody>;

export function markNotificationsRead(b: ReadRequest) {
  return post<{ read: number; unreadCount: number }>('/api/v1/notifications/read', b);
}

export function useMarkNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: (r, b) =>
      applyNotificationsRead(qc, {
        ids: b.ids ?? [],
        all: b.all === true,
        unreadCount: r.unreadCount,
      }),
  });
}

/** A new notification (live or replayed): on top of the list, counted once. */
export function applyNotificationCreated(qc: QueryClient, n: NotificationDto): void {
  qc.setQueryData<NotificationList>(NOTIFICATIONS_KEY, (d) => {
    if (!d || d.items.some((x) => x.id === n.id)) return d;
    return { ...d, items: [n, ...d.items], unreadCount: d.unreadCount + (n.readAt === null ? 1 : 0) };
  });
}

/** Some or all became read (here or in another tab): the server's count is the truth. */
export function applyNotificationsRead(
  qc: QueryClient,
  p: { ids: string[]; all: boolean; unreadCount: number },
): void {
  const now = Date.now();
  const ids = new Set(p.ids);
  qc.setQueryData<NotificationList>(NOTIFICATIONS_KEY, (d) =>
    d
      ? {
          ...d,
          items: d.items.map((x) =>
            x.readAt === null && (p.all || ids.has(x.id)) ? { ...x, readAt: now } : x,
          ),
          unreadCount: p.unreadCount,
        }
      : d,
  );
}
