import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { MessageDto } from '@switchboard/shared';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { previewOf, toMessageDtos } from '../../messages/message.dto.ts';

const CHUNK = 500;

/**
 * Moves messages to another conversation of the same contact: the row keeps its id, time, channel and
 * author; only `conversation_id` changes, and with it the search entries and notifications that point
 * at them. The caller announces each as `message.updated` (`announceMoved`, after the conversation's own
 * event), so open consoles and webhook subscribers follow; no `message.created` is emitted, so the report
 * rollups count nothing twice.
 */
export async function moveMessages(
  uow: UnitOfWork,
  accountId: string,
  ids: string[],
  to: Pick<Row<'conversations'>, 'id'>,
): Promise<void> {
  const tx = uow.tx;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await tx
      .updateTable('messages')
      .set({ conversation_id: to.id })
      .where('account_id', '=', accountId)
      .where('id', 'in', chunk)
      .execute();
    await tx
      .updateTable('search_docs')
      .set({ conversation_id: to.id })
      .where('account_id', '=', accountId)
      .where('kind', '=', 'message')
      .where('ref_id', 'in', chunk)
      .execute();
    await tx
      .updateTable('notifications')
      .set({ conversation_id: to.id })
      .where('account_id', '=', accountId)
      .where('message_id', 'in', chunk)
      .execute();
  }
}

/** `message.updated` for each moved message, oldest first, as it now reads (its new conversation). */
export async function announceMoved(
  uow: UnitOfWork,
  accountId: string,
  ids: string[],
  teamId: string | null,
): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await uow.tx
      .selectFrom('messages')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const dtos: MessageDto[] = await toMessageDtos(uow.tx, rows);
    for (const dto of dtos) uow.emit(accountId, 'message.updated', dto, teamId);
  }
}

/**
 * A conversation's summary columns as its messages now say: the customer's newest message (by the
 * provider's time when given, as inbound does), the newest human reply, the newest activity and preview.
 */
export async function summaryOf(
  tx: Tx,
  conversationId: string,
  fallbackAt: number,
): Promise<
  Pick<
    Row<'conversations'>,
    'last_inbound_at' | 'last_outbound_at' | 'last_activity_at' | 'last_message_preview'
  >
> {
  const agg = await tx
    .selectFrom('messages')
    .select((eb) => [
      eb.fn
        .max(
          eb
            .case()
            .when('direction', '=', 'in')
            .then(eb.fn.coalesce('provider_ts', 'created_at'))
            .else(null)
            .end(),
        )
        .as('inbound'),
      eb.fn
        .max(
          eb
            .case()
            .when(
              eb.and([eb('direction', '=', 'out'), eb('private', '=', 0), eb('author_kind', '=', 'user')]),
            )
            .then(eb.ref('created_at'))
            .else(null)
            .end(),
        )
        .as('outbound'),
      eb.fn.max('created_at').as('activity'),
    ])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const newest = await tx
    .selectFrom('messages')
    .select(['body', 'content_kind'])
    .where('conversation_id', '=', conversationId)
    .where('private', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    last_inbound_at: num(agg?.inbound),
    last_outbound_at: num(agg?.outbound),
    last_activity_at: num(agg?.activity) ?? fallbackAt,
    last_message_preview: newest ? previewOf(newest.body, newest.content_kind) : null,
  };
}

/**
 * Each operator's read marker on `to` after messages from `from` joined it: where both had one, the
 * earlier stays (a message that was unread is never hidden); where only `from` had one, it is copied.
 * `keepFrom`: the marker on `from` stays too (a split; a merge deletes the merged-away conversation's).
 */
export async function combineReadMarkers(
  tx: Tx,
  fromId: string,
  toId: string,
  now: number,
  keepFrom: boolean,
): Promise<void> {
  const rows = await tx
    .selectFrom('conversation_reads')
    .selectAll()
    .where('conversation_id', 'in', [fromId, toId])
    .execute();
  const target = new Map(rows.filter((r) => r.conversation_id === toId).map((r) => [r.user_id, r]));
  for (const r of rows.filter((x) => x.conversation_id === fromId)) {
    const t = target.get(r.user_id);
    const earlier =
      !t ||
      r.last_read_at < t.last_read_at ||
      (r.last_read_at === t.last_read_at && r.last_read_message_id < t.last_read_message_id);
    if (!earlier) continue;
    const marker = {
      last_read_at: r.last_read_at,
      last_read_message_id: r.last_read_message_id,
      updated_at: now,
    };
    if (t)
      await tx
        .updateTable('conversation_reads')
        .set(marker)
        .where('conversation_id', '=', toId)
        .where('user_id', '=', r.user_id)
        .execute();
    else
      await tx
        .insertInto('conversation_reads')
        .values({ ...marker, user_id: r.user_id, conversation_id: toId, account_id: r.account_id })
        .execute();
  }
  if (!keepFrom) await tx.deleteFrom('conversation_reads').where('conversation_id', '=', fromId).execute();
}
