import type { Me, NotificationDto } from '@switchboard/shared';
import type { QueryClient } from '@tanstack/react-query';
import { get } from '../../api/http.ts';
import type { User } from '../../api/types.ts';
import { translate } from '../../i18n/i18n.tsx';
import type { Lang } from '../../i18n/format.ts';
import { navigate } from '../../lib/router.ts';
import { chime } from '../../realtime/notify.ts';
import { markNotificationsRead } from './notifications-api.ts';

const SHOWN_MAX = 200;
/** At most this many desktop notifications for what arrived while the console was closed. */
const CATCH_UP_MAX = 3;
const CATCH_UP_WITHIN_MS = 7 * 86_400_000;

const shownKey = (userId: string) => `switchboard.notified.${userId}`;

/**
 * Ids already shown on this device, shared by its tabs (localStorage): a notification replayed on
 * reconnect, listed at start or received by two tabs is shown once.
 */
function shown(userId: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(shownKey(userId)) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function remember(userId: string, ids: string[]): void {
  try {
    localStorage.setItem(shownKey(userId), JSON.stringify([...ids, ...shown(userId)].slice(0, SHOWN_MAX)));
  } catch {
    // Storage full or blocked: at worst a notification shows twice.
  }
}

function uiLang(): Lang {
  return document.documentElement.lang === 'ru' ? 'ru' : 'en';
}

export function notificationTitle(lang: Lang, n: NotificationDto, actor: string | undefined): string {
  const name = actor ?? translate(lang, 'conv.operator');
  return translate(lang, n.kind === 'transfer' ? 'notifications.transferred' : 'notifications.mentioned', {
    name,
  });
}

/** Who acted, by name: at start the notification can come before the users list the console loads. */
async function actorName(qc: QueryClient, actorId: string | null): Promise<string | undefined> {
  if (!actorId) return undefined;
  try {
    const users = await qc.ensureQueryData({
      queryKey: ['users'],
      queryFn: () => get<{ items: User[] }>('/api/v1/users').then((r) => r.items),
    });
    return users.find((u) => u.id === actorId)?.name;
  } catch {
    return undefined;
  }
}

async function show(qc: QueryClient, n: NotificationDto): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  // Looking at that very conversation already: the note is on screen.
  if (!document.hidden && window.location.pathname.endsWith(`/${encodeURIComponent(n.conversationId)}`))
    return;
  const actor = await actorName(qc, n.actorId);
  const d = new Notification(notificationTitle(uiLang(), n, actor), {
    body: n.text ?? '',
    tag: `notification:${n.id}`,
  });
  d.onclick = () => {
    window.focus();
    navigate(`/inbox/all/${encodeURIComponent(n.conversationId)}`);
    void markNotificationsRead({ ids: [n.id] }).catch(() => {});
  };
}

/** A notification that just arrived over the socket (live or replayed after a reconnect). */
export function notifyDesktop(qc: QueryClient, n: NotificationDto, me: Me): void {
  if (n.userId !== me.user.id || n.readAt !== null || shown(me.user.id).includes(n.id)) return;
  remember(me.user.id, [n.id]);
  chime();
  void show(qc, n);
}

/**
 * What arrived while no console of this user was open: the newest few unread ones become desktop
 * notifications when the console starts, the rest wait in the bell's list.
 */
export function catchUpDesktop(qc: QueryClient, items: NotificationDto[], me: Me): void {
  const seen = new Set(shown(me.user.id));
  const fresh = items.filter(
    (n) => n.readAt === null && !seen.has(n.id) && Date.now() - n.createdAt < CATCH_UP_WITHIN_MS,
  );
  if (!fresh.length) return;
  remember(
    me.user.id,
    fresh.map((n) => n.id),
  );
  for (const n of fresh.slice(0, CATCH_UP_MAX)) void show(qc, n);
}
