import type { ContactErasedPayload, ContactErasure } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { DELETE_FILES_JOB } from './delete-files.job.ts';

export const ERASED_ACTION = 'contact.erased';

/**
 * Erases a contact for a privacy request: the contact, its identities, labels, notes and consent
 * records, every conversation with it and everything in them (messages, attachments, labels, read
 * markers, assignments, refused sends, search entries), and the stored files no other message shares.
 * One transaction, audited in it, with a `contact.erased` event (ids only) so open consoles drop it; the files are deleted by a job written in the same transaction, so a
 * crash after commit cannot leave them behind. Idempotent: a contact already erased answers as such
 * (found by its audit entry), anything else unknown is a 404.
 *
 * Not reached here, by design: raw provider events (`inbound_events`) and the real-time event log hold
 * copies of what the customer sent until retention removes them (RETENTION_INBOUND_EVENTS_DAYS,
 * RETENTION_ACCOUNT_EVENTS_HOURS); export files someone already made; the audit log.
 */
export async function eraseContact(
  ctx: AppContext,
  p: Principal,
  contactId: string,
  ip?: string,
): Promise<ContactErasure> {
  return transact(ctx, async (uow) => {
    const tx = uow.tx;
    const contact = await tx
      .selectFrom('contacts')
      .select('id')
      .where('id', '=', contactId)
      .where('account_id', '=', p.accountId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!contact) {
      const before = await tx
        .selectFrom('audit_log')
        .select('details')
        .where('account_id', '=', p.accountId)
        .where('action', '=', ERASED_ACTION)
        .where('target_id', '=', contactId)
        .executeTakeFirst();
      if (!before) throw notFound('Contact');
      return { contactId, erased: true, alreadyErased: true, conversations: 0, messages: 0, files: 0 };
    }

    const conversations = tx
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', contactId)
      .where('account_id', '=', p.accountId);
    const messages = tx.selectFrom('messages').select('id').where('conversation_id', 'in', conversations);
    const conversationIds = (await conversations.execute()).map((c) => c.id);
    const convCount = conversationIds.length;
    const msgCount = (await messages.execute()).length;
    const stored = await tx
      .selectFrom('attachments')
      .select('storage_key')
      .where('message_id', 'in', messages)
      .where('storage_key', 'is not', null)
      .execute();
    const keys = [...new Set(stored.map((a) => a.storage_key!))];

    await tx.deleteFrom('search_docs').where('contact_id', '=', contactId).execute();
    await tx.deleteFrom('search_docs').where('conversation_id', 'in', conversations).execute();
    await tx.deleteFrom('attachments').where('message_id', 'in', messages).execute();
    await tx.deleteFrom('broadcast_recipients').where('contact_id', '=', contactId).execute();
    await tx.deleteFrom('messages').where('conversation_id', 'in', conversations).execute();
    for (const table of [
      'conversation_labels',
      'conversation_reads',
      'conversation_assignments',
      'refused_sends',
      // A mention's notification quotes the note: it goes with the conversation.
      'notifications',
    ] as const) {
      await tx.deleteFrom(table).where('conversation_id', 'in', conversations).execute();
    }
    await tx.deleteFrom('conversations').where('contact_id', '=', contactId).execute();
    for (const table of [
      'automatic_message_log',
      'contact_consents',
      'contact_labels',
      'contact_notes',
      'contact_identities',
    ] as const) {
      await tx.deleteFrom(table).where('contact_id', '=', contactId).execute();
    }
    // Contacts merged into this one are pointers holding its history's leftovers (broadcast outcomes,
    // throttling marks) and its old ids: they go with it, as do the merge records naming it.
    const pointers = tx.selectFrom('contacts').select('id').where('merged_into', '=', contactId);
    await tx.deleteFrom('broadcast_recipients').where('contact_id', 'in', pointers).execute();
    for (const table of [
      'automatic_message_log',
      'contact_consents',
      'contact_labels',
      'contact_notes',
    ] as const)
      await tx.deleteFrom(table).where('contact_id', 'in', pointers).execute();
    await tx
      .deleteFrom('contact_merges')
      .where('account_id', '=', p.accountId)
      .where((eb) => eb.or([eb('survivor_id', '=', contactId), eb('merged_id', '=', contactId)]))
      .execute();
    await tx.deleteFrom('contacts').where('merged_into', '=', contactId).execute();
    await tx.deleteFrom('contacts').where('id', '=', contactId).execute();

    const files = await unsharedFiles(tx, keys);
    if (files.length > 0) {
      await tx.deleteFrom('uploads').where('storage_key', 'in', files).execute();
      await tx.deleteFrom('widget_uploads').where('storage_key', 'in', files).execute();
      await uow.enqueue({ type: DELETE_FILES_JOB, payload: { keys: files }, accountId: p.accountId });
    }
    const result: ContactErasure = {
      contactId,
      erased: true,
      alreadyErased: false,
      conversations: convCount,
      messages: msgCount,
      files: files.length,
    };
    const erased: ContactErasedPayload = { contactId, conversationIds };
    uow.emit(p.accountId, 'contact.erased', erased, null);
    await audit(ctx, tx, p, {
      action: ERASED_ACTION,
      targetType: 'contact',
      targetId: contactId,
      details: { conversations: convCount, messages: msgCount, files: files.length },
      ip,
    });
    return result;
  });
}

/** Of these stored files, those no remaining attachment refers to (an upload sent to two customers). */
async function unsharedFiles(tx: Tx, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const shared = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await tx
      .selectFrom('attachments')
      .select('storage_key')
      .where('storage_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.storage_key) shared.add(r.storage_key);
  }
  return keys.filter((k) => !shared.has(k));
}
