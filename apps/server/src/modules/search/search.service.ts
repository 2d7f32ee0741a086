import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { DialectName, Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import {
  type ConversationFilter,
  conversationConditions,
  narrowsConversations,
} from './conversation-filter.ts';
import { docAccountCondition, docKindCondition, matchCondition, scoreExpression } from './search-query.ts';
import { headSnippet, makeSnippet, type Snippet } from './snippet.ts';
import { MAX_QUERY_STEMS, type ParsedQuery, parseQuery, queryStems, toFts5Match } from './text-analysis.ts';

/** Whose search this is: the account, and the teams an operator is limited to (undefined: all). */
export interface SearchScope {
  accountId: string;
  userId: string | null;
  teams: string[] | undefined;
}

export type HitKind = 'all' | 'messages' | 'contacts';

export interface DocFilter extends ConversationFilter {
  /** Only messages written by this user (or contact) id. */
  author?: string;
  direction?: 'in' | 'out';
  kind?: HitKind;
}

/** Parses `q`, answering 400 when it has no searchable word or too many. */
export function parseSearchText(q: string): ParsedQuery {
  const parsed = parseQuery(q);
  const n = queryStems(parsed).length;
  if (n === 0) throw new DomainError('validation_error', 'q: no searchable words (letters or digits)');
  if (n > MAX_QUERY_STEMS) throw new DomainError('validation_error', `q: at most ${MAX_QUERY_STEMS} words`);
  return parsed;
}

/**
 * search_docs `d` (left-joined to its conversation `c`) matching the query within the scope. Contact
 * documents take part only when nothing narrows the search to conversations or a time range.
 */
export function matchingDocs(
  k: Tx,
  dialect: DialectName,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  window?: NewestWindow,
  rids?: number[],
) {
  let query = k
    .selectFrom('search_docs as d')
    .leftJoin('conversations as c', 'c.id', 'd.conversation_id')
    .where(docAccountCondition(dialect, scope.accountId));
  if (rids) {
    // Candidates already matched by the caller (SQLite newest-first, see newestOnSqlite).
    query = query.where('d.rid', 'in', rids.length ? rids : [-1]);
  } else if (window) {
    // Only the account's `size` newest documents (older than the cursor) are candidates: found through
    // the account's date index, then checked against the query — a walk that stops early instead of
    // collecting every match of a common word and sorting them.
    const newest = () => {
      let w = k
        .selectFrom('search_docs as wd')
        .select('wd.rid')
        .where('wd.account_id', '=', scope.accountId)
        .orderBy('wd.created_at', 'desc')
        .orderBy('wd.rid', 'desc')
        .limit(window.size);
      if (window.before) {
        const [at, rid] = window.before;
        w = w.where(sql<boolean>`(wd.created_at < ${at} or (wd.created_at = ${at} and wd.rid < ${rid}))`);
      }
      return w;
    };
    query = query
      .where('d.rid', 'in', newest())
      .where(matchCondition(dialect, q, sql<number>`(select min(w.rid) from (${newest()}) w)`));
  } else {
    query = query.where(matchCondition(dialect, q));
  }
  const messagesOnly =
    f.kind === 'messages' ||
    narrowsConversations(f) ||
    f.from !== undefined ||
    f.to !== undefined ||
    f.author !== undefined ||
    f.direction !== undefined;
  if (f.kind === 'contacts') query = query.where(docKindCondition(dialect, 'contact'));
  else if (messagesOnly) query = query.where(docKindCondition(dialect, 'message'));
  // Contact documents have no conversation (c.* is null), so only message documents meet these.
  for (const cond of conversationConditions(f, scope.userId, scope.teams)) {
    query = query.where((eb) => eb.or([eb('d.kind', '=', 'contact'), cond]));
  }
  if (f.from !== undefined) query = query.where('d.created_at', '>=', f.from);
  if (f.to !== undefined) query = query.where('d.created_at', '<', f.to);
  if (f.author) query = query.where('d.author_id', '=', f.author);
  if (f.direction) query = query.where('d.direction', '=', f.direction);
  return query;
}

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

/** The newest documents (by time, then row) of the account considered first; see matchingDocs. */
export interface NewestWindow {
  size: number;
  /** Keyset cursor: only documents older than (created_at, rid). */
  before?: [number, number];
}

/**
 * Newest-first search looks at the account's newest documents in growing windows and stops at the first
 * window holding a full page of matches — a word in a quarter of all messages fills a page of 20 from
 * ~100 documents. Only when even the largest window holds less than a page (a rare word, or a narrow
 * filter) are all matches collected and sorted, and then there are few of them: fewer than a page per
 * 50,000 documents.
 */
export const NEWEST_WINDOWS = [2_000, 50_000];

/** How many of the newest matching messages relevance ranking considers (see searchHits). */
export const RELEVANCE_WINDOW = 20_000;

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

/** Ranked hits (score, then newest), one page at a time with a keyset cursor. */
export async function searchHits(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  page: { limit: number; cursor?: string; sort?: 'relevance' | 'recent' },
): Promise<SearchPage> {
  const k = ctx.db.kysely;
  const cursor = decodeCursor(page.cursor);
  if (
    page.cursor &&
    !(cursor?.length === (page.sort === 'recent' ? 2 : 3) && cursor.every((v) => typeof v === 'number'))
  )
    throw new DomainError('validation_error', 'cursor: malformed');
  const recent = page.sort === 'recent';
  const cols = [
    'd.rid',
    'd.kind',
    'd.ref_id',
    'd.conversation_id',
    'd.contact_id',
    'd.created_at',
    'd.terms',
    'd.term_count',
  ] as const;
  const base = () => matchingDocs(k, ctx.db.dialect, scope, q, f).select(cols);
  const scored = (from: ReturnType<typeof base>) =>
    k
      .selectFrom(from.as('d'))
      .select([
        'd.rid',
        'd.kind',
        'd.ref_id',
        'd.conversation_id',
        'd.contact_id',
        'd.created_at',
        scoreExpression(q).as('score'),
      ]);
  let rows: Awaited<ReturnType<ReturnType<typeof scored>['execute']>>;
  if (recent && ctx.db.dialect === 'sqlite') {
    rows = await newestOnSqlite(ctx, scope, q, f, cursor ? Number(cursor[1]) : undefined, page.limit + 1);
  } else if (recent) {
    const before = cursor ? (cursor as [number, number]) : undefined;
    const newestPage = (size?: number) => {
      let newest = matchingDocs(k, ctx.db.dialect, scope, q, f, size ? { size, before } : undefined).select(
        cols,
      );
      if (before) {
        const [at, rid] = before;
        newest = newest.where(
          sql<boolean>`(d.created_at < ${at} or (d.created_at = ${at} and d.rid < ${rid}))`,
        );
      }
      return scored(
        newest
          .orderBy('d.created_at', 'desc')
          .orderBy('d.rid', 'desc')
          .limit(page.limit + 1),
      )
        .orderBy('d.created_at', 'desc')
        .orderBy('d.rid', 'desc')
        .execute();
    };
    let found: typeof rows | undefined;
    for (const size of NEWEST_WINDOWS) {
      const r = await newestPage(size);
      // A full page (plus one, for the cursor) from the window is exactly the newest matches overall.
      if (r.length > page.limit) {
        found = r;
        break;
      }
    }
    rows = found ?? (await newestPage());
  } else {
    // Ranking every match of a very common word costs a string scan per match; relevance is judged among
    // the newest RELEVANCE_WINDOW messages (plus all matching contacts). sort=recent walks all history.
    const window = k
      .selectFrom(
        base()
          .where(docKindCondition(ctx.db.dialect, 'message'))
          .orderBy('d.created_at', 'desc')
          .orderBy('d.rid', 'desc')
          .limit(RELEVANCE_WINDOW)
          .as('w'),
      )
      .selectAll()
      .unionAll(base().where(docKindCondition(ctx.db.dialect, 'contact')));
    let outer = k.selectFrom(scored(window as unknown as ReturnType<typeof base>).as('h')).selectAll();
    if (cursor) {
      const [score, at, rid] = cursor as [number, number, number];
      outer = outer.where(
        sql<boolean>`(h.score < ${score} or (h.score = ${score} and (h.created_at < ${at} or (h.created_at = ${at} and h.rid < ${rid}))))`,
      );
    }
    rows = await outer
      .orderBy('h.score', 'desc')
      .orderBy('h.created_at', 'desc')
      .orderBy('h.rid', 'desc')
      .limit(page.limit + 1)
      .execute();
  }
  const pageRows = rows.slice(0, page.limit).map((r) => ({ ...r, score: Number(r.score) }));
  const last = pageRows[pageRows.length - 1];
  return {
    items: await describeHits(ctx, scope, q, pageRows),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor(
            recent ? [last.created_at, Number(last.rid)] : [last.score, last.created_at, Number(last.rid)],
          )
        : null,
  };
}

/** How many FTS5 row ids newestOnSqlite reads before letting SQLite plan the filtered query itself. */
export const SQLITE_NEWEST_BUDGET = 50_000;

/**
 * Newest-first on SQLite, driven by FTS5 itself: `match … order by rowid desc limit n` walks the term's
 * doclist from its end and stops after n row ids (~0.5 ms for a word in a quarter of 445k documents),
 * while any other shape (a rowid range, a join) makes FTS5 collect every match first. Those row ids are
 * then filtered through search_docs; when the filters drop too many, the next, larger batch continues
 * below the last row id read. "Newest" here is indexing order: search_docs.rid grows with every new
 * document, and documents are indexed when their message is written, so for normal ingest it is message
 * time order (an edit keeps its row id; a backfill of old messages counts as new).
 * After SQLITE_NEWEST_BUDGET row ids (a narrow filter on a common word) the remaining page is found by
 * the ordinary plan, which starts from the filters' indexes.
 */
async function newestOnSqlite(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  below: number | undefined,
  want: number,
) {
  const k = ctx.db.kysely;
  const scoredDocs = (query: ReturnType<typeof matchingDocs>) =>
    query
      .select([
        'd.rid',
        'd.kind',
        'd.ref_id',
        'd.conversation_id',
        'd.contact_id',
        'd.created_at',
        scoreExpression(q).as('score'),
      ])
      .orderBy('d.rid', 'desc');
  const out: Awaited<ReturnType<ReturnType<typeof scoredDocs>['execute']>> = [];
  let upper = below;
  let batch = Math.max(want * 4, 100);
  let read = 0;
  for (;;) {
    if (read >= SQLITE_NEWEST_BUDGET) {
      let rest = matchingDocs(k, ctx.db.dialect, scope, q, f);
      if (upper !== undefined) rest = rest.where('d.rid', '<', upper);
      out.push(
        ...(await scoredDocs(rest)
          .limit(want - out.length)
          .execute()),
      );
      break;
    }
    const bound = upper !== undefined ? sql` and rowid < ${upper}` : sql``;
    const found = await sql<{
      rowid: number;
    }>`select rowid from search_fts where search_fts match ${toFts5Match(q)}${bound} order by rowid desc limit ${batch}`.execute(
      k,
    );
    const rids = found.rows.map((r) => Number(r.rowid));
    read += rids.length;
    if (rids.length) {
      const docs = await scoredDocs(matchingDocs(k, ctx.db.dialect, scope, q, f, undefined, rids))
        .limit(want - out.length)
        .execute();
      out.push(...docs);
    }
    if (out.length >= want || rids.length < batch) break;
    upper = rids[rids.length - 1];
    batch = Math.min(batch * 4, 10_000);
  }
  return out;
}

interface HitRow {
  kind: string;
  ref_id: string;
  conversation_id: string | null;
  contact_id: string;
  created_at: number;
  score: number;
}

async function describeHits(
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
