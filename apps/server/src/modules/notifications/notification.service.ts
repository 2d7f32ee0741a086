import type { NotificationDto, NotificationKind } from '@switchboard/shared';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';

const TEXT_MAX = 500;

export function toNotificationDto(r: Row<'notifications'>): NotificationDto {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind as NotificationKind,
    conversationId: r.conversation_id,
    messageId: r.message_id,
    actorId: r.actor_id,
    text: r.body,
    readAt: r.read_at,
    createdAt: r.created_at,
  };
}

/**
 * Writes one notification per recipient in the caller's transaction and emits each as a personal event:
 * a console that is open gets it live, one that reconnects gets it replayed, one that opens later lists
 * it unread (GET /notifications) — so an operator offline when mentioned still hears of it.
 */
export async function notify(
  uow: UnitOfWork,
  n: {
    accountId: string;
    userIds: readonly string[];
    kind: NotificationKind;
    conversationId: string;
    messageId: string | null;
    actorId: string | null;
    text: string | null;
    now: number;
  },
): Promise<NotificationDto[]> {
  const recipients = [...new Set(n.userIds)].filter((id) => id !== n.actorId);
  if (!recipients.length) return [];
  const rows: Row<'notifications'>[] = recipients.map((userId) => ({
    id: newId(n.now),
    account_id: n.accountId,
    user_id: userId,
    kind: n.kind,
    conversation_id: n.conversationId,
    message_id: n.messageId,
    actor_id: n.actorId,
    body: n.text === null ? null : n.text.slice(0, TEXT_MAX),
    read_at: null,
    created_at: n.now,
  }));
  await uow.tx.insertInto('notifications').values(rows).execute();
  const dtos = rows.map(toNotificationDto);
  for (const d of dtos) uow.emit(n.accountId, 'notification.created', d);
  return dtos;
}

export async function unreadCount(k: Tx, accountId: string, userId: string): Promise<number> {
  const r = await k
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Marks the user's unread notifications read — the given ones, all, or those pointing to one conversation
 * (the operator opened it: what they were told about is seen) — and tells their other tabs.
 */
export async function readNotifications(
  uow: UnitOfWork,
  who: { accountId: string; userId: string },
  which: { ids?: string[] | undefined; all?: boolean | undefined; conversationId?: string | undefined },
  now: number,
): Promise<{ read: number; unreadCount: number }> {
  let q = uow.tx
    .updateTable('notifications')
    .set({ read_at: now })
    .where('account_id', '=', who.accountId)
    .where('user_id', '=', who.userId)
    .where('read_at', 'is', null);
  // Someone else's ids (or unknown ones) match nothing: no error, nothing leaks.
  if (which.ids) q = q.where('id', 'in', which.ids);
  if (which.conversationId) q = q.where('conversation_id', '=', which.conversationId);
  const changed = await q.returning('id').execute();
  const left = await unreadCount(uow.tx, who.accountId, who.userId);
  if (changed.length)
    uow.emit(who.accountId, 'notification.read', {
      userId: who.userId,
      ids: which.all ? [] : changed.map((c) => c.id),
      all: which.all === true,
      unreadCount: left,
    });
  return { read: changed.length, unreadCount: left };
}
