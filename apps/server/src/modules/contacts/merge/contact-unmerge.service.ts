import { UNMERGE_WINDOW_MS } from '@switchboard/shared';
import type { AppContext } from '../../../app-context.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { conflict, DomainError, notFound } from '../../../lib/domain-error.ts';
import { audit } from '../../audit/audit.service.ts';
import { loadConversationDto } from '../../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { indexContact } from '../../search/search-index.ts';
import { type ContactDto, loadContactDto } from '../contact.dto.ts';
import { lockUnmerge } from './merge-locks.ts';
import type { MergeActor } from './contact-merge.service.ts';
import type { MergeRecord } from './merge-record.ts';

export const UNMERGED_ACTION = 'contact.unmerged';

/**
 * Splits a merge back within a day: the other contact returns with its identities, the conversations
 * that moved and those opened since on its identities' channels (where the kept contact has no identity
 * of its own), its notes, labels and consent records. The kept contact gives back what it only had from
 * the other (a filled-in field or attribute, a label, a consent decision), unless it changed since.
 */
export async function unmergeContacts(
  ctx: AppContext,
  uow: UnitOfWork,
  who: MergeActor,
  survivorId: string,
  mergeId: string,
  ip?: string,
): Promise<{ merge: Row<'contact_merges'>; contact: ContactDto; restored: ContactDto }> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const m = await tx
    .selectFrom('contact_merges')
    .selectAll()
    .where('id', '=', mergeId)
    .where('account_id', '=', who.accountId)
    .where('survivor_id', '=', survivorId)
    .executeTakeFirst();
  if (!m) throw notFound('Merge');
  if (m.undone_at !== null) throw conflict('This merge was already undone');
  if (now > m.created_at + UNMERGE_WINDOW_MS)
    throw new DomainError('conflict', 'A merge can be undone only within a day', {
      undoUntil: m.created_at + UNMERGE_WINDOW_MS,
    });
  const record = JSON.parse(m.record) as MergeRecord;
  const { survivor, other } = await lockUnmerge(ctx, tx, m, record.identities);
  if (survivor.merged_into) throw conflict('The kept contact was merged again since; undo that merge first');
  if (other.merged_into !== survivor.id)
    throw conflict('The other contact is no longer merged into this one');
  const ids = record.identities.length
    ? await tx
        .selectFrom('contact_identities')
        .select(['id', 'contact_id', 'channel_id'])
        .where('id', 'in', record.identities)
        .execute()
    : [];
  if (ids.some((i) => i.contact_id !== survivor.id))
    throw conflict('An identity of the other contact has moved on since the merge');

  const survivorChannels = new Set(
    (
      await tx
        .selectFrom('contact_identities')
        .select('channel_id')
        .where('contact_id', '=', survivor.id)
        .$if(record.identities.length > 0, (q) => q.where('id', 'not in', record.identities))
        .execute()
    ).map((r) => r.channel_id),
  );
  const backChannels = [...new Set(ids.map((i) => i.channel_id))].filter((c) => !survivorChannels.has(c));
  const conversations = (
    await tx
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', survivor.id)
      .where((eb) => {
        const parts = [];
        if (record.conversations.length) parts.push(eb('id', 'in', record.conversations));
        if (backChannels.length)
          parts.push(eb.and([eb('channel_id', 'in', backChannels), eb('created_at', '>=', m.created_at)]));
        return parts.length ? eb.or(parts) : eb.val(false);
      })
      .execute()
  ).map((r) => r.id);

  if (ids.length)
    await tx
      .updateTable('contact_identities')
      .set({ contact_id: other.id })
      .where('id', 'in', record.identities)
      .execute();
  for (let i = 0; i < conversations.length; i += 500) {
    const chunk = conversations.slice(i, i + 500);
    await tx
      .updateTable('conversations')
      .set({ contact_id: other.id, updated_at: now })
      .where('id', 'in', chunk)
      .execute();
    await tx
      .updateTable('messages')
      .set({ author_id: other.id })
      .where('conversation_id', 'in', chunk)
      .where('author_kind', '=', 'contact')
      .execute();
    await tx
      .updateTable('search_docs')
      .set({ contact_id: other.id })
      .where('conversation_id', 'in', chunk)
      .execute();
  }
  if (record.notes.length)
    await tx
      .updateTable('contact_notes')
      .set({ contact_id: other.id })
      .where('id', 'in', record.notes)
      .where('contact_id', '=', survivor.id)
      .execute();
  await restoreLabels(tx, who.accountId, record, survivor.id, other.id, m.created_at);
  await restoreConsent(tx, record, survivor.id, other.id, m.created_at);
  await tx
    .updateTable('contacts')
    .set({ ...restoredFields(survivor, record), updated_at: now })
    .where('id', '=', survivor.id)
    .execute();
  await tx
    .updateTable('contacts')
    .set({ merged_into: null, merged_at: null, updated_at: now })
    .where('id', '=', other.id)
    .execute();
  if (record.repointed.length)
    await tx
      .updateTable('contacts')
      .set({ merged_into: other.id })
      .where('id', 'in', record.repointed)
      .where('merged_into', '=', survivor.id)
      .execute();
  await indexContact(ctx, tx, survivor.id);
  await indexContact(ctx, tx, other.id);
  await tx
    .updateTable('contact_merges')
    .set({ undone_at: now, undone_by: who.userId })
    .where('id', '=', m.id)
    .execute();
  await audit(ctx, tx, who, {
    action: UNMERGED_ACTION,
    targetType: 'contact',
    targetId: survivor.id,
    details: {
      mergeId: m.id,
      restoredId: other.id,
      identities: ids.length,
      conversations: conversations.length,
    },
    ip,
  });
  const contact = (await loadContactDto(tx, who.accountId, survivor.id))!;
  const restored = (await loadContactDto(tx, who.accountId, other.id))!;
  uow.emit(who.accountId, 'contact.updated', contact);
  uow.emit(who.accountId, 'contact.updated', restored);
  for (const id of conversations) {
    const dto = await loadConversationDto(tx, id, who.accountId);
    if (dto) uow.emit(who.accountId, 'conversation.updated', dto, dto.teamId);
  }
  return { merge: { ...m, undone_at: now, undone_by: who.userId }, contact, restored };
}

/** The kept contact's fields: what it got only from the other goes back, unless someone changed it since. */
function restoredFields(survivor: Row<'contacts'>, record: MergeRecord) {
  const out = { name: survivor.name, phone: survivor.phone, email: survivor.email };
  const attrs = JSON.parse(survivor.attributes) as Record<string, unknown>;
  const before = JSON.parse(record.survivorBefore.attributes) as Record<string, unknown>;
  for (const [field, value] of Object.entries(record.filled)) {
    if (field.startsWith('attributes.')) {
      const key = field.slice('attributes.'.length);
      if (JSON.stringify(attrs[key]) !== JSON.stringify(value)) continue;
      if (Object.hasOwn(before, key)) attrs[key] = before[key];
      else delete attrs[key];
    } else if (field === 'name' || field === 'phone' || field === 'email') {
      if (out[field] === value) out[field] = record.survivorBefore[field];
    }
  }
  return { ...out, attributes: JSON.stringify(attrs) };
}

async function restoreLabels(
  tx: Tx,
  accountId: string,
  record: MergeRecord,
  survivorId: string,
  otherId: string,
  mergedAt: number,
) {
  if (record.otherLabels.length)
    await tx
      .insertInto('contact_labels')
      .values(
        record.otherLabels.map((label) => ({
          contact_id: otherId,
          account_id: accountId,
          label,
          created_at: mergedAt,
        })),
      )
      .onConflict((oc) => oc.columns(['contact_id', 'label']).doNothing())
      .execute();
  if (record.addedLabels.length)
    await tx
      .deleteFrom('contact_labels')
      .where('contact_id', '=', survivorId)
      .where('label', 'in', record.addedLabels)
      .where('created_at', '<=', mergedAt)
      .execute();
}

async function restoreConsent(
  tx: Tx,
  record: MergeRecord,
  survivorId: string,
  otherId: string,
  mergedAt: number,
) {
  for (const row of record.otherConsent)
    await tx
      .insertInto('contact_consents')
      .values({ ...row, contact_id: otherId })
      .onConflict((oc) => oc.columns(['contact_id', 'scope']).doNothing())
      .execute();
  for (const s of record.survivorConsent) {
    // A decision recorded since the merge is the customer's latest word: it stays.
    const now = await tx
      .selectFrom('contact_consents')
      .select('updated_at')
      .where('contact_id', '=', survivorId)
      .where('scope', '=', s.scope)
      .executeTakeFirst();
    if (now && now.updated_at > mergedAt) continue;
    await tx
      .deleteFrom('contact_consents')
      .where('contact_id', '=', survivorId)
      .where('scope', '=', s.scope)
      .execute();
    if (s.before) await tx.insertInto('contact_consents').values(s.before).execute();
  }
}
