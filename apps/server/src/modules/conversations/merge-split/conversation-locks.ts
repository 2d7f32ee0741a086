import type { AppContext } from '../../../app-context.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { DomainError, notFound } from '../../../lib/domain-error.ts';
import { lockContactIdentities } from '../../contacts/merge/identity-lock.ts';

/** The answer a merged-away conversation gives wherever it is asked for by id. */
export function conversationMergedError(mergedInto: string): DomainError {
  return new DomainError('conversation_merged', `This conversation was merged into ${mergedInto}`, {
    mergedInto,
  });
}

/**
 * Conversations of one account, locked for a merge or split. On PostgreSQL the contact's identity rows
 * are locked first, as the inbound path does before it picks a conversation (inbound.service.ts
 * upsertIdentity): a customer message either commits before the move reads what to move, or waits and
 * then finds the conversations as the move left them. SQLite has one writer: transactions run in turn.
 * `lock` false: a read (the preview).
 */
export async function lockConversations(
  ctx: AppContext,
  tx: Tx,
  accountId: string,
  ids: string[],
  lock = true,
): Promise<Row<'conversations'>[]> {
  const pg = lock && ctx.db.dialect === 'postgres';
  const peek = await tx
    .selectFrom('conversations')
    .select(['id', 'contact_id'])
    .where('id', 'in', ids)
    .where('account_id', '=', accountId)
    .execute();
  if (peek.length !== new Set(ids).size) throw notFound('Conversation');
  if (pg) await lockContactIdentities(tx, accountId, [...new Set(peek.map((p) => p.contact_id))]);
  const rows = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', 'in', ids)
    .where('account_id', '=', accountId)
    .orderBy('id')
    .$if(pg, (q) => q.forUpdate())
    .execute();
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw notFound('Conversation');
    return row;
  });
}
