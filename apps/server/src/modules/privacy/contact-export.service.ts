import type { Readable } from 'node:stream';
import type { ContactExport } from '@switchboard/shared';
import type * as Yazl from 'yazl';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../lib/domain-error.ts';
import { lazyRequire } from '../../lib/lazy-require.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { extensionFor } from '../media/sniff.ts';

export const EXPORTED_ACTION = 'contact.exported';

// Loaded on the first export, not at start (its module set-up costs a start ~8 ms).
const yazl = lazyRequire<typeof Yazl>('yazl');

const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

/** A file name safe inside a ZIP on every system: no path, no controls, no reserved characters. */
function zipName(id: string, name: string | null, mime: string | null): string {
  const base = (name ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return `files/${id}-${base || `attachment.${extensionFor(mime ?? 'application/octet-stream')}`}`;
}

/**
 * Everything Switchboard holds about one contact, for a data subject access request: `contact.json`
 * (the contact, identities, labels, consents, notes, and every conversation with its messages and
 * attachment metadata; shape `contactExportSchema`) plus the stored files under `files/`. Audited.
 * The document is built in memory (one contact's history), the files are streamed one at a time.
 */
export async function exportContact(
  ctx: AppContext,
  p: Principal,
  contactId: string,
  ip?: string,
): Promise<{ zip: Readable; fileName: string }> {
  const k = ctx.db.kysely;
  const contact = await k
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', contactId)
    .where('account_id', '=', p.accountId)
    .executeTakeFirst();
  if (!contact) throw notFound('Contact');
  const [identities, labels, consents, notes, conversations] = await Promise.all([
    k
      .selectFrom('contact_identities as i')
      .innerJoin('channels as c', 'c.id', 'i.channel_id')
      .select(['i.channel_id', 'c.type', 'i.external_id', 'i.created_at'])
      .where('i.contact_id', '=', contactId)
      .orderBy('i.created_at')
      .execute(),
    k
      .selectFrom('contact_labels')
      .select('label')
      .where('contact_id', '=', contactId)
      .orderBy('label')
      .execute(),
    k.selectFrom('contact_consents').selectAll().where('contact_id', '=', contactId).execute(),
    k
      .selectFrom('contact_notes')
      .selectAll()
      .where('contact_id', '=', contactId)
      .orderBy('created_at')
      .execute(),
    k
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('account_id', '=', p.accountId)
      .orderBy('created_at')
      .execute(),
  ]);
  const convIds = conversations.map((c) => c.id);
  const messages = convIds.length
    ? await k
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', 'in', convIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];
  const attachments = messages.length
    ? await k
        .selectFrom('attachments')
        .selectAll()
        .where(
          'message_id',
          'in',
          k.selectFrom('messages').select('id').where('conversation_id', 'in', convIds),
        )
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];

  const files: { path: string; key: string }[] = [];
  const attachmentsOf = new Map<
    string,
    ContactExport['conversations'][number]['messages'][number]['attachments']
  >();
  for (const a of attachments) {
    const path = a.storage_key ? zipName(a.id, a.name, a.mime_type) : null;
    if (path && a.storage_key) files.push({ path, key: a.storage_key });
    const list = attachmentsOf.get(a.message_id) ?? [];
    list.push({
      id: a.id,
      kind: a.kind,
      name: a.name,
      mimeType: a.mime_type,
      size: a.size,
      sha256: a.sha256,
      sourceUrl: a.source_url,
      file: path,
    });
    attachmentsOf.set(a.message_id, list);
  }
  const doc: ContactExport = {
    format: 'switchboard.contact-export/1',
    exportedAt: ctx.clock.now(),
    contact: {
      id: contact.id,
      name: contact.name,
      phone: contact.phone,
      email: contact.email,
      attributes: json(contact.attributes),
      labels: labels.map((l) => l.label),
      createdAt: contact.created_at,
      updatedAt: contact.updated_at,
    },
    identities: identities.map((i) => ({
      channelId: i.channel_id,
      channelType: i.type,
      externalId: i.external_id,
      createdAt: i.created_at,
    })),
    consents: consents.map(({ contact_id: _c, account_id: _a, ...rest }) => rest),
    notes: notes.map((n) => ({ id: n.id, text: n.body, authorId: n.author_id, createdAt: n.created_at })),
    conversations: conversations.map((c) => ({
      id: c.id,
      channelId: c.channel_id,
      status: c.status,
      createdAt: c.created_at,
      messages: messages
        .filter((m) => m.conversation_id === c.id)
        .map((m) => ({
          id: m.id,
          direction: m.direction === 'in' ? ('in' as const) : ('out' as const),
          authorKind: m.author_kind,
          authorId: m.author_id,
          private: m.private === 1,
          contentKind: m.content_kind,
          text: m.body,
          deliveryStatus: m.delivery_status,
          createdAt: m.created_at,
          attachments: attachmentsOf.get(m.id) ?? [],
        })),
    })),
  };

  await audit(ctx, k, p, {
    action: EXPORTED_ACTION,
    targetType: 'contact',
    targetId: contactId,
    details: { conversations: conversations.length, messages: messages.length, files: files.length },
    ip,
  });

  const zip = new (yazl().ZipFile)();
  zip.addBuffer(Buffer.from(JSON.stringify(doc, null, 2)), 'contact.json');
  for (const f of files) {
    // Opened only when the ZIP reaches it: one file handle at a time however many attachments.
    zip.addReadStreamLazy(f.path, (cb) => {
      ctx.files.get(f.key).then(
        (stream) =>
          stream ? cb(null, stream) : cb(new Error(`stored file missing: ${f.key}`), undefined as never),
        (err: Error) => cb(err, undefined as never),
      );
    });
  }
  zip.end();
  return { zip: zip.outputStream as Readable, fileName: `contact-${contactId}.zip` };
}
