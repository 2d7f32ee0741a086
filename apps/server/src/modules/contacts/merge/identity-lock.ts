import type { Tx } from '../../../infra/db/database.ts';

/**
 * PostgreSQL: locks every identity of these contacts, in id order. The inbound path locks an identity
 * before it touches its contact or picks a conversation (inbound.service.ts upsertIdentity), so a move of
 * contacts' data or conversations that takes these first never deadlocks with it, and a customer message
 * either commits before the move reads what to move or waits and finds what the move left.
 */
export async function lockContactIdentities(tx: Tx, accountId: string, contactIds: string[]): Promise<void> {
  await tx
    .selectFrom('contact_identities')
    .select('id')
    .where('contact_id', 'in', contactIds)
    .where('account_id', '=', accountId)
    .orderBy('id')
    .forUpdate()
    .execute();
}
