import { sql } from 'kysely';
import type { DialectName, Tx } from '../../infra/db/database.ts';
import type { ConversationFilter } from '@switchboard/shared';
import { conversationConditions, narrowsConversations } from './conversation-filter.ts';
import { docAccountCondition, docKindCondition, matchCondition } from './search-query.ts';
import type { ParsedQuery } from './text-analysis.ts';

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

/** The newest documents (by time, then row) of the account considered first; see matchingDocs. */
export interface NewestWindow {
  size: number;
  /** Keyset cursor: only documents older than (created_at, rid). */
  before?: [number, number];
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
    // One JSON parameter, not one bound parameter per id: thousands of them (a relevance window) cost
    // more to build and prepare than the lookups themselves.
    query = query.where(sql<boolean>`d.rid in (select value from json_each(${JSON.stringify(rids)}))`);
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
      // A date filter bounds the window itself (the same date index): the newest documents of the range,
      // not the account's newest documents, which a range in the past would never reach.
      if (f.from !== undefined) w = w.where('wd.created_at', '>=', f.from);
      if (f.to !== undefined) w = w.where('wd.created_at', '<', f.to);
      return w;
    };
    query = query
      .where(
        dialect === 'postgres'
          ? // An array, not `in (subquery)`: PostgreSQL then probes the window's rows by primary key and
            // checks each against the query. With `in` it may instead read every match of a common word
            // through the GIN index and join them to the window (measured: 25,000 matches read for a
            // page of 20 at 100,000 messages), a cost that grows with the word's matches.
            sql<boolean>`d.rid = any(array(${newest()}))`
          : sql<boolean>`d.rid in (${newest()})`,
      )
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
