import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { DialectName, Tx } from '../../infra/db/database.ts';
import { nextRowidSql } from './doc-rowid.ts';
import { analyze, toTsvectorLiteral } from './text-analysis.ts';

export type DocKind = 'message' | 'contact';

export interface DocInput {
  accountId: string;
  kind: DocKind;
  /** Message id or contact id. */
  refId: string;
  conversationId: string | null;
  contactId: string;
  channelId: string | null;
  authorId: string | null;
  direction: string | null;
  createdAt: number;
  texts: (string | null | undefined)[];
}

/**
 * Writes (or replaces) the search document of one message or contact. Called inside the transaction that
 * wrote the row, so a message is searchable the moment it is committed. On SQLite the FTS5 table follows
 * search_docs through triggers; on PostgreSQL the tsvector is built from our own stems.
 */
export async function upsertDoc(tx: Tx, dialect: DialectName, d: DocInput): Promise<void> {
  const a = analyze(d.texts);
  if (a.count === 0) {
    await tx.deleteFrom('search_docs').where('kind', '=', d.kind).where('ref_id', '=', d.refId).execute();
    return;
  }
  const values = {
    account_id: d.accountId,
    kind: d.kind,
    ref_id: d.refId,
    conversation_id: d.conversationId,
    contact_id: d.contactId,
    channel_id: d.channelId,
    author_id: d.authorId,
    direction: d.direction,
    created_at: d.createdAt,
    term_count: a.count,
    terms: a.terms,
  };
  const tsv =
    dialect === 'postgres' ? { tsv: sql<string>`cast(${toTsvectorLiteral(a.stems)} as tsvector)` } : {};
  // SQLite: a time-ordered row id (doc-rowid.ts); on conflict the document keeps the one it has.
  const rid = dialect === 'sqlite' ? { rid: nextRowidSql(d.createdAt) } : {};
  await tx
    .insertInto('search_docs')
    .values({ ...values, ...tsv, ...rid })
    .onConflict((oc) =>
      oc.columns(['kind', 'ref_id']).doUpdateSet({
        conversation_id: values.conversation_id,
        contact_id: values.contact_id,
        channel_id: values.channel_id,
        term_count: values.term_count,
        terms: values.terms,
        ...tsv,
      }),
    )
    .execute();
}

/** Indexes one message: its text plus the names of its attachments. */
export async function indexMessage(ctx: AppContext, tx: Tx, messageId: string): Promise<void> {
  const m = await tx
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select([
      'm.id',
      'm.account_id',
      'm.conversation_id',
      'm.channel_id',
      'm.author_id',
      'm.direction',
      'm.body',
      'm.created_at',
      'c.contact_id',
    ])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!m) return;
  const files = await tx
    .selectFrom('attachments')
    .select('name')
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
  await upsertDoc(tx, ctx.db.dialect, {
    accountId: m.account_id,
    kind: 'message',
    refId: m.id,
    conversationId: m.conversation_id,
    contactId: m.contact_id,
    channelId: m.channel_id,
    authorId: m.author_id,
    direction: m.direction,
    createdAt: m.created_at,
    texts: [m.body, ...files.map((f) => f.name)],
  });
}

/**
 * Indexes a contact's name, phone and e-mail. The phone is also indexed as one run of digits, so
 * "+7 999 000-11-22" is found by "79990001122" and by "+79990001122".
 */
export async function indexContact(ctx: AppContext, tx: Tx, contactId: string): Promise<void> {
  const c = await tx
    .selectFrom('contacts')
    .select(['id', 'account_id', 'name', 'phone', 'email', 'created_at'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!c) return;
  const doc = contactDoc(c);
  // Most inbound messages come from a known contact whose details did not change: skip the rewrite.
  const indexed = await tx
    .selectFrom('search_docs')
    .select('terms')
    .where('kind', '=', 'contact')
    .where('ref_id', '=', c.id)
    .executeTakeFirst();
  if (indexed && indexed.terms === analyze(doc.texts).terms) return;
  await upsertDoc(tx, ctx.db.dialect, doc);
}

export function contactDoc(c: {
  id: string;
  account_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  created_at: number;
}): DocInput {
  const digits = c.phone?.replace(/\D/g, '');
  return {
    accountId: c.account_id,
    kind: 'contact',
    refId: c.id,
    conversationId: null,
    contactId: c.id,
    channelId: null,
    authorId: null,
    direction: null,
    createdAt: c.created_at,
    texts: [c.name, c.phone, digits && digits !== c.phone ? digits : null, c.email],
  };
}

/** The inbound pipeline's hook: the new message, and the contact whose details it may have filled in. */
export async function indexInboundMessage(
  ctx: AppContext,
  tx: Tx,
  messageId: string,
  contactId: string,
): Promise<void> {
  await indexMessage(ctx, tx, messageId);
  await indexContact(ctx, tx, contactId);
}
