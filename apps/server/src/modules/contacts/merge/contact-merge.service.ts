import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { conflict, DomainError, notFound } from '../../../lib/domain-error.ts';
import { audit } from '../../audit/audit.service.ts';
import { loadConversationDto } from '../../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { indexContact } from '../../search/search-index.ts';
import { type ContactDto, loadContactDto } from '../contact.dto.ts';
import type { MergeRecord } from './merge-record.ts';
import { type MergePlan, planMerge } from './merge-plan.ts';
import { lockContactIdentities } from './identity-lock.ts';

export const MERGED_ACTION = 'contact.merged';

export interface MergeActor {
  accountId: string;
  userId: string | null;
}

/** The answer a merged-away contact gives wherever it is asked for by id. */
export function contactMergedError(mergedInto: string): DomainError {
  return new DomainError('contact_merged', `This contact was merged into ${mergedInto}`, { mergedInto });
}

/**
 * Both contacts, locked for the merge. On PostgreSQL the other contact's identity rows are locked first:
 * the inbound path locks an identity before it touches its contact (inbound.service.ts upsertIdentity),
 * so taking them in the same order never deadlocks, and a message arriving on one of those identities
 * either commits before the merge reads what to move, or waits and then finds the identity already on
 * the kept contact. SQLite has one writer: transactions simply run one after the other.
 */
export async function lockPair(
  ctx: AppContext,
  tx: Tx,
  accountId: string,
  survivorId: string,
  otherId: string,
  lock = true,
): Promise<{ survivor: Row<'contacts'>; other: Row<'contacts'> }> {
  if (survivorId === otherId)
    throw new DomainError('validation_error', 'A contact cannot be merged with itself');
  const pg = lock && ctx.db.dialect === 'postgres';
  if (pg) await lockContactIdentities(tx, accountId, [survivorId, otherId]);
  const rows = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('id', 'in', [survivorId, otherId])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .$if(pg, (q) => q.forUpdate())
    .execute();
  const survivor = rows.find((r) => r.id === survivorId);
  const other = rows.find((r) => r.id === otherId);
  if (!survivor || !other) throw notFound('Contact');
  if (survivor.merged_into) throw contactMergedError(survivor.merged_into);
  if (other.merged_into) throw conflict(`The other contact was already merged into ${other.merged_into}`);
  return { survivor, other };
}

/**
 * Merges `otherId` into `survivorId` in the caller's transaction: every identity, conversation (with its
 * messages' author and search entries), note, label, attribute and consent record moves to the kept
 * contact by MERGE_RULE; the other stays as a pointer (`merged_into`) and the merge is recorded for the
 * undo and audited.
 */
export async function mergeContacts(
  ctx: AppContext,
  uow: UnitOfWork,
  who: MergeActor,
  survivorId: string,
  otherId: string,
  via: 'manual' | 'automatic',
  ip?: string,
): Promise<{ merge: Row<'contact_merges'>; contact: ContactDto }> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const { survivor, other } = await lockPair(ctx, tx, who.accountId, survivorId, otherId);
  const plan = await planMerge(tx, survivor, other);
  const ids = async (table: 'contact_identities' | 'conversations' | 'contact_notes') =>
    (await tx.selectFrom(table).select('id').where('contact_id', '=', other.id).execute()).map((r) => r.id);
  const identities = await ids('contact_identities');
  const conversations = await ids('conversations');
  const notes = await ids('contact_notes');
  const repointed = (
    await tx.selectFrom('contacts').select('id').where('merged_into', '=', other.id).execute()
  ).map((r) => r.id);

  await tx
    .updateTable('contact_identities')
    .set({ contact_id: survivor.id })
    .where('contact_id', '=', other.id)
    .execute();
  await tx
    .updateTable('conversations')
    .set({ contact_id: survivor.id, updated_at: now })
    .where('contact_id', '=', other.id)
    .execute();
  if (conversations.length) {
    for (let i = 0; i < conversations.length; i += 500) {
      const chunk = conversations.slice(i, i + 500);
      await tx
        .updateTable('messages')
        .set({ author_id: survivor.id })
        .where('conversation_id', 'in', chunk)
        .where('author_kind', '=', 'contact')
        .execute();
    }
  }
  await tx
    .updateTable('contact_notes')
    .set({ contact_id: survivor.id })
    .where('contact_id', '=', other.id)
    .execute();
  const otherLabels = await moveLabels(tx, who.accountId, other.id, survivor.id, now);
  const consentRecord = await moveConsent(tx, plan, survivor.id, other.id);
  await tx
    .updateTable('search_docs')
    .set({ contact_id: survivor.id })
    .where('contact_id', '=', other.id)
    .where('kind', '=', 'message')
    .execute();
  await tx.deleteFrom('search_docs').where('kind', '=', 'contact').where('ref_id', '=', other.id).execute();
  await tx
    .updateTable('contacts')
    .set({ ...plan.survivorPatch, updated_at: now })
    .where('id', '=', survivor.id)
    .execute();
  await tx
    .updateTable('contacts')
    .set({ merged_into: survivor.id, merged_at: now, updated_at: now })
    .where('id', 'in', [other.id, ...repointed])
    .execute();
  await indexContact(ctx, tx, survivor.id);

  const record: MergeRecord = {
    identities,
    conversations,
    notes,
    otherLabels,
    addedLabels: plan.addedLabels,
    otherConsent: consentRecord.otherConsent,
    survivorConsent: consentRecord.survivorConsent,
    survivorBefore: {
      name: survivor.name,
      phone: survivor.phone,
      email: survivor.email,
      attributes: survivor.attributes,
    },
    filled: plan.filled,
    repointed,
    moved: {
      ...plan.preview.moves,
      identities: identities.length,
      conversations: conversations.length,
      notes: notes.length,
    },
  };
  const merge: Row<'contact_merges'> = {
    id: newId(now),
    account_id: who.accountId,
    survivor_id: survivor.id,
    merged_id: other.id,
    merged_by: who.userId,
    via,
    record: JSON.stringify(record),
    created_at: now,
    undone_at: null,
    undone_by: null,
  };
  await tx.insertInto('contact_merges').values(merge).execute();
  await audit(ctx, tx, who, {
    action: MERGED_ACTION,
    targetType: 'contact',
    targetId: survivor.id,
    details: { mergeId: merge.id, mergedId: other.id, via, moved: record.moved },
    ip,
  });
  const contact = (await loadContactDto(tx, who.accountId, survivor.id))!;
  uow.emit(who.accountId, 'contact.updated', contact);
  for (const id of conversations) {
    const dto = await loadConversationDto(tx, id, who.accountId);
    if (dto) uow.emit(who.accountId, 'conversation.updated', dto, dto.teamId);
  }
  return { merge, contact };
}

async function moveLabels(
  tx: Tx,
  accountId: string,
  from: string,
  to: string,
  now: number,
): Promise<string[]> {
  const labels = (
    await tx.selectFrom('contact_labels').select('label').where('contact_id', '=', from).execute()
  ).map((l) => l.label);
  if (labels.length)
    await tx
      .insertInto('contact_labels')
      .values(labels.map((label) => ({ contact_id: to, account_id: accountId, label, created_at: now })))
      .onConflict((oc) => oc.columns(['contact_id', 'label']).doNothing())
      .execute();
  await tx.deleteFrom('contact_labels').where('contact_id', '=', from).execute();
  return labels;
}

async function moveConsent(tx: Tx, plan: MergePlan, survivorId: string, otherId: string) {
  const survivorConsent: MergeRecord['survivorConsent'] = [];
  const otherConsent = plan.consent.flatMap((c) => (c.otherHad ? [c.otherHad] : []));
  for (const c of plan.consent) {
    if (!c.otherHad) continue;
    // Only the other had a decision, or its decision wins: the kept contact takes that row.
    if (c.result === c.otherHad) {
      survivorConsent.push({ scope: c.scope, before: c.survivorHad });
      const row = { ...c.otherHad, contact_id: survivorId };
      if (c.survivorHad)
        await tx
          .updateTable('contact_consents')
          .set(row)
          .where('contact_id', '=', survivorId)
          .where('scope', '=', c.scope)
          .execute();
      else await tx.insertInto('contact_consents').values(row).execute();
    }
  }
  await tx.deleteFrom('contact_consents').where('contact_id', '=', otherId).execute();
  return { otherConsent, survivorConsent };
}
