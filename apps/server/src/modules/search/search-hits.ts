import type { AppContext } from '../../app-context.ts';
import { conversationConditions } from './conversation-filter.ts';
import type { SearchScope } from './matching-docs.ts';
import { headSnippet, makeSnippet, type Snippet } from './snippet.ts';
import type { ParsedQuery } from './text-analysis.ts';

export interface SearchHit {
  kind: 'message' | 'contact';
  score: number;
  messageId: string | null;
  /** The conversation to open: the message's, or a contact's most recent visible one. */
  conversationId: string | null;
  createdAt: number;
  contact: { id: string; name: string | null; phone: string | null; email: string | null };
  message: {
    direction: string;
    authorKind: string;
    authorId: string | null;
    private: boolean;
    contentKind: string;
  } | null;
  conversation: {
    status: string;
    assigneeId: string | null;
    teamId: string | null;
    channel: { id: string; type: string; name: string };
  } | null;
  snippet: Snippet;
}

export interface HitRow {
  kind: string;
  ref_id: string;
  conversation_id: string | null;
  contact_id: string;
  created_at: number;
  score: number;
}

/** What the console shows of each hit: the contact, the message, its conversation and a snippet. */
export async function describeHits(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  rows: HitRow[],
): Promise<SearchHit[]> {
  const k = ctx.db.kysely;
  const messageIds = rows.filter((r) => r.kind === 'message').map((r) => r.ref_id);
  const contactIds = [...new Set(rows.map((r) => r.contact_id))];
  const messages = messageIds.length
    ? await k
        .selectFrom('messages')
        .select(['id', 'body', 'direction', 'author_kind', 'author_id', 'private', 'content_kind'])
        .where('id', 'in', messageIds)
        .execute()
    : [];
  const files = messageIds.length
    ? await k
        .selectFrom('attachments')
        .select(['message_id', 'name'])
        .where('message_id', 'in', messageIds)
        .orderBy('id')
        .execute()
    : [];
  const contacts = contactIds.length
    ? await k
        .selectFrom('contacts')
        .select(['id', 'name', 'phone', 'email'])
        .where('id', 'in', contactIds)
        .where('account_id', '=', scope.accountId)
        .execute()
    : [];
  const lonelyContacts = rows.filter((r) => r.kind === 'contact').map((r) => r.contact_id);
  let convQuery = k
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .select([
      'c.id',
      'c.contact_id',
      'c.status',
      'c.assignee_id',
      'c.team_id',
      'c.last_activity_at',
      'ch.id as channel_id',
      'ch.type as channel_type',
      'ch.name as channel_name',
    ])
    .where('c.account_id', '=', scope.accountId);
  for (const cond of conversationConditions({}, scope.userId, scope.teams)) convQuery = convQuery.where(cond);
  const convIds = [...new Set(rows.map((r) => r.conversation_id).filter((id): id is string => !!id))];
  const conversations =
    convIds.length || lonelyContacts.length
      ? await convQuery
          .where((eb) =>
            eb.or([
              ...(convIds.length ? [eb('c.id', 'in', convIds)] : []),
              ...(lonelyContacts.length ? [eb('c.contact_id', 'in', lonelyContacts)] : []),
            ]),
          )
          .execute()
      : [];
  const msgById = new Map(messages.map((m) => [m.id, m]));
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  const convById = new Map(conversations.map((c) => [c.id, c]));
  const latestByContact = new Map<string, (typeof conversations)[number]>();
  for (const c of conversations) {
    const seen = latestByContact.get(c.contact_id);
    if (!seen || c.last_activity_at > seen.last_activity_at) latestByContact.set(c.contact_id, c);
  }
  return rows.map((r) => {
    const contact = contactById.get(r.contact_id);
    const contactDto = {
      id: r.contact_id,
      name: contact?.name ?? null,
      phone: contact?.phone ?? null,
      email: contact?.email ?? null,
    };
    const conv = r.conversation_id ? convById.get(r.conversation_id) : latestByContact.get(r.contact_id);
    const conversation = conv
      ? {
          status: conv.status,
          assigneeId: conv.assignee_id,
          teamId: conv.team_id,
          channel: { id: conv.channel_id, type: conv.channel_type, name: conv.channel_name },
        }
      : null;
    if (r.kind === 'contact') {
      const text = [contactDto.name, contactDto.phone, contactDto.email].filter(Boolean).join(' · ');
      return {
        kind: 'contact' as const,
        score: r.score,
        messageId: null,
        conversationId: conv?.id ?? null,
        createdAt: r.created_at,
        contact: contactDto,
        message: null,
        conversation,
        snippet: makeSnippet(text, q) ?? headSnippet(text),
      };
    }
    const m = msgById.get(r.ref_id);
    const texts = [m?.body ?? '', ...files.filter((f) => f.message_id === r.ref_id).map((f) => f.name ?? '')];
    let snippet: Snippet | null = null;
    for (const t of texts) {
      snippet = makeSnippet(t, q);
      if (snippet) break;
    }
    return {
      kind: 'message' as const,
      score: r.score,
      messageId: r.ref_id,
      conversationId: r.conversation_id,
      createdAt: r.created_at,
      contact: contactDto,
      message: m
        ? {
            direction: m.direction,
            authorKind: m.author_kind,
            authorId: m.author_id,
            private: m.private === 1,
            contentKind: m.content_kind,
          }
        : null,
      conversation,
      snippet: snippet ?? headSnippet(texts.filter(Boolean).join(' ')),
    };
  });
}
