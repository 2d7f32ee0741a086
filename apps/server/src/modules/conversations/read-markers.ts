import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

/** Where one operator stopped reading a conversation, and how many customer messages came after. */
export interface ReadState {
  conversationId: string;
  userId: string;
  /** The newest message read (list order: created_at, then id); null = never opened. */
  lastReadMessageId: string | null;
  lastReadAt: number | null;
  unreadCount: number;
}

/**
 * Customer messages (inbound, not private) after each conversation's read marker for this user;
 * conversations the user never opened count all of them. One grouped query over
 * `messages_conversation_idx` for a whole page of conversations.
 */
export async function unreadCounts(
  k: Tx,
  userId: string,
  conversationIds: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>(conversationIds.map((id) => [id, 0]));
  if (!conversationIds.length) return out;
  const rows = await k
    .selectFrom('messages as m')
    .leftJoin('conversation_reads as r', (j) =>
      j.onRef('r.conversation_id', '=', 'm.conversation_id').on('r.user_id', '=', userId),
    )
    .select(['m.conversation_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('m.conversation_id', 'in', conversationIds)
    .where('m.direction', '=', 'in')
    .where('m.private', '=', 0)
    .where((eb) =>
      eb.or([
        eb('r.last_read_at', 'is', null),
        eb('m.created_at', '>', eb.ref('r.last_read_at')),
        eb.and([
          eb('m.created_at', '=', eb.ref('r.last_read_at')),
          eb('m.id', '>', eb.ref('r.last_read_message_id')),
        ]),
      ]),
    )
    .groupBy('m.conversation_id')
    .execute();
  for (const r of rows) out.set(r.conversation_id, Number(r.n));
  return out;
}

/** The newest message of a conversation in list order, if it has any. */
export async function newestMessage(k: Tx, conversationId: string) {
  return k
    .selectFrom('messages')
    .select(['id', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Moves the user's marker forward to (at, messageId); never back, so a slow request from one tab
 * cannot undo what another tab already read. Returns whether the marker moved.
 */
export async function advanceMarker(
  tx: Tx,
  m: {
    accountId: string;
    userId: string;
    conversationId: string;
    at: number;
    messageId: string;
    now: number;
  },
): Promise<boolean> {
  const moved = await tx
    .insertInto('conversation_reads')
    .values({
      user_id: m.userId,
      conversation_id: m.conversationId,
      account_id: m.accountId,
      last_read_at: m.at,
      last_read_message_id: m.messageId,
      updated_at: m.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'conversation_id'])
        .doUpdateSet({
          last_read_at: (eb) => eb.ref('excluded.last_read_at'),
          last_read_message_id: (eb) => eb.ref('excluded.last_read_message_id'),
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        })
        .where(
          sql<boolean>`conversation_reads.last_read_at < excluded.last_read_at or (conversation_reads.last_read_at = excluded.last_read_at and conversation_reads.last_read_message_id < excluded.last_read_message_id)`,
        ),
    )
    .returning('updated_at')
    .executeTakeFirst();
  return moved !== undefined;
}

export async function readState(tx: Tx, userId: string, conversationId: string): Promise<ReadState> {
  const row = await tx
    .selectFrom('conversation_reads')
    .select(['last_read_at', 'last_read_message_id'])
    .where('user_id', '=', userId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const counts = await unreadCounts(tx, userId, [conversationId]);
  return {
    conversationId,
    userId,
    lastReadMessageId: row ? row.last_read_message_id || null : null,
    lastReadAt: row?.last_read_at ?? null,
    unreadCount: counts.get(conversationId) ?? 0,
  };
}

/**
 * Moves the user's marker back to just before the newest customer message, so the conversation
 * shows as unread again (at least one). A marker already at or before that point stays where it is,
 * so marking unread never hides more unread messages. Returns whether the marker moved; throws
 * nothing: a conversation without customer messages simply has nothing to mark unread (false).
 */
export async function rewindMarker(
  tx: Tx,
  m: { userId: string; conversationId: string; now: number },
): Promise<boolean> {
  const newestIn = await tx
    .selectFrom('messages')
    .select(['id', 'created_at'])
    .where('conversation_id', '=', m.conversationId)
    .where('direction', '=', 'in')
    .where('private', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newestIn) return false;
  const marker = await tx
    .selectFrom('conversation_reads')
    .select(['last_read_at', 'last_read_message_id'])
    .where('user_id', '=', m.userId)
    .where('conversation_id', '=', m.conversationId)
    .executeTakeFirst();
  // No marker: never opened, everything already counts as unread.
  if (!marker) return false;
  const at = marker.last_read_at;
  const readsNewest =
    at > newestIn.created_at || (at === newestIn.created_at && marker.last_read_message_id >= newestIn.id);
  if (!readsNewest) return false;
  // The message just before the newest customer message, in list order.
  const before = await tx
    .selectFrom('messages')
    .select(['id', 'created_at'])
    .where('conversation_id', '=', m.conversationId)
    .where((eb) =>
      eb.or([
        eb('created_at', '<', newestIn.created_at),
        eb.and([eb('created_at', '=', newestIn.created_at), eb('id', '<', newestIn.id)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!before) {
    // Nothing before it: the same as never opened.
    await tx
      .deleteFrom('conversation_reads')
      .where('user_id', '=', m.userId)
      .where('conversation_id', '=', m.conversationId)
      .execute();
    return true;
  }
  await tx
    .updateTable('conversation_reads')
    .set({ last_read_at: before.created_at, last_read_message_id: before.id, updated_at: m.now })
    .where('user_id', '=', m.userId)
    .where('conversation_id', '=', m.conversationId)
    .execute();
  return true;
}
