import type { AttributeDefinition } from '@switchboard/shared';
import { attributeCells } from '../attributes/attribute-export.ts';
import { parseAttributes } from '../attributes/attribute-values.ts';
import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { signedFileLink } from '../media/file-link.ts';
import { listFilterConditions } from '../conversations/list-filter.ts';
import { docAccountCondition, docKindCondition, matchCondition } from '../search/search-query.ts';
import { parseSearchText } from '../search/search.service.ts';
import type { Cell, Column, ExportSpec } from './export-spec.ts';

/** Rows are read in keyset pages of this size: memory stays flat whatever the export's length. */
export const EXPORT_BATCH = 1000;

export const CONVERSATION_COLUMNS: Column[] = [
  { header: 'Conversation ID', type: 'text', width: 38 },
  { header: 'Channel', type: 'text', width: 20 },
  { header: 'Channel type', type: 'text', width: 12 },
  { header: 'Customer', type: 'text', width: 24 },
  { header: 'Phone', type: 'text', width: 16 },
  { header: 'E-mail', type: 'text', width: 24 },
  { header: 'Identities', type: 'text', width: 30 },
  { header: 'Status', type: 'text', width: 10 },
  { header: 'Priority', type: 'text', width: 10 },
  { header: 'Assignee', type: 'text', width: 20 },
  { header: 'Team', type: 'text', width: 16 },
  { header: 'Labels', type: 'text', width: 20 },
  { header: 'Created', type: 'date', width: 20 },
  { header: 'First response (s)', type: 'number', width: 12 },
  { header: 'Resolved', type: 'date', width: 20 },
  { header: 'Last activity', type: 'date', width: 20 },
  { header: 'Messages', type: 'number', width: 10 },
  { header: 'From customer', type: 'number', width: 10 },
  { header: 'From operators', type: 'number', width: 10 },
  { header: 'Notes', type: 'number', width: 8 },
  { header: 'CSAT', type: 'number', width: 6 },
  { header: 'CSAT comment', type: 'text', width: 40 },
];

export const MESSAGE_COLUMNS: Column[] = [
  { header: 'Conversation ID', type: 'text', width: 38 },
  { header: 'Message ID', type: 'text', width: 38 },
  { header: 'Time', type: 'date', width: 20 },
  { header: 'Direction', type: 'text', width: 9 },
  { header: 'Author', type: 'text', width: 22 },
  { header: 'Author kind', type: 'text', width: 10 },
  { header: 'Channel', type: 'text', width: 18 },
  { header: 'Kind', type: 'text', width: 10 },
  { header: 'Private note', type: 'text', width: 8 },
  { header: 'Text', type: 'text', width: 60 },
  { header: 'Delivery', type: 'text', width: 10 },
  { header: 'Attachments', type: 'text', width: 30 },
  { header: 'Attachment links', type: 'text', width: 40 },
];

/**
 * Conditions shared by both kinds: account, visibility and the list's filters, through the list's own
 * filter (so an export holds exactly the conversations the list showed). The SLA state is judged when
 * the export runs.
 */
async function scopeConditions(ctx: AppContext, spec: ExportSpec): Promise<RawBuilder<boolean>[]> {
  return [
    sql<boolean>`c.account_id = ${spec.accountId}`,
    ...(await listFilterConditions(ctx, spec, spec.filter, ctx.clock.now())),
  ];
}

/** Message ids matching the full-text query of the filter (search_docs aliased `d`). */
function matchingMessages(ctx: AppContext, spec: ExportSpec, q: string): RawBuilder<boolean> {
  const parsed = parseSearchText(q);
  return sql<boolean>`m.id in (select d.ref_id from search_docs d where ${docAccountCondition(ctx.db.dialect, spec.accountId)} and ${docKindCondition(ctx.db.dialect, 'message')} and ${matchCondition(ctx.db.dialect, parsed)})`;
}

function matchingConversations(ctx: AppContext, spec: ExportSpec, q: string): RawBuilder<boolean> {
  const parsed = parseSearchText(q);
  const match = matchCondition(ctx.db.dialect, parsed);
  const account = docAccountCondition(ctx.db.dialect, spec.accountId);
  const kind = (k: 'message' | 'contact') => docKindCondition(ctx.db.dialect, k);
  return sql<boolean>`(c.id in (select d.conversation_id from search_docs d where ${account} and ${kind('message')} and ${match})
    or c.contact_id in (select d.contact_id from search_docs d where ${account} and ${kind('contact')} and ${match}))`;
}

function messageQuery(ctx: AppContext, spec: ExportSpec, scope: RawBuilder<boolean>[]) {
  let q = ctx.db.kysely
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .where('m.account_id', '=', spec.accountId);
  for (const cond of scope) q = q.where(cond);
  if (spec.filter.from !== undefined) q = q.where('m.created_at', '>=', spec.filter.from);
  if (spec.filter.to !== undefined) q = q.where('m.created_at', '<', spec.filter.to);
  if (spec.filter.q) q = q.where(matchingMessages(ctx, spec, spec.filter.q));
  return q;
}

function conversationQuery(ctx: AppContext, spec: ExportSpec, scope: RawBuilder<boolean>[]) {
  let q = ctx.db.kysely.selectFrom('conversations as c').where('c.account_id', '=', spec.accountId);
  for (const cond of scope) q = q.where(cond);
  if (spec.filter.from !== undefined) q = q.where('c.created_at', '>=', spec.filter.from);
  if (spec.filter.to !== undefined) q = q.where('c.created_at', '<', spec.filter.to);
  if (spec.filter.q) q = q.where(matchingConversations(ctx, spec, spec.filter.q));
  return q;
}

/** How many rows the export will have (for progress); counted once before streaming. */
export async function countRows(ctx: AppContext, spec: ExportSpec): Promise<number> {
  const scope = await scopeConditions(ctx, spec);
  const q = spec.kind === 'messages' ? messageQuery(ctx, spec, scope) : conversationQuery(ctx, spec, scope);
  const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Small lookups (users, channels, teams) every row repeats: read once per export. */
class Names {
  private readonly cache = new Map<string, Map<string, string>>();
  constructor(
    private readonly k: Tx,
    private readonly accountId: string,
  ) {}

  async get(table: 'users' | 'channels' | 'teams', id: string | null): Promise<string> {
    if (!id) return '';
    let m = this.cache.get(table);
    if (!m) {
      const rows =
        table === 'users'
          ? await this.k
              .selectFrom('users')
              .innerJoin('memberships', 'memberships.user_id', 'users.id')
              .select(['users.id', 'users.name'])
              .where('memberships.account_id', '=', this.accountId)
              .execute()
          : await this.k
              .selectFrom(table)
              .select(['id', 'name'])
              .where('account_id', '=', this.accountId)
              .execute();
      m = new Map(rows.map((r) => [r.id, r.name]));
      this.cache.set(table, m);
    }
    return m.get(id) ?? '';
  }

  channelType = new Map<string, string>();
  async channel(id: string): Promise<{ name: string; type: string }> {
    if (!this.channelType.size) {
      const rows = await this.k
        .selectFrom('channels')
        .select(['id', 'type'])
        .where('account_id', '=', this.accountId)
        .execute();
      for (const r of rows) this.channelType.set(r.id, r.type);
    }
    return { name: await this.get('channels', id), type: this.channelType.get(id) ?? '' };
  }
}

/** Message rows in conversation order (each conversation's thread, oldest first), page by page. */
export async function* messageRows(ctx: AppContext, spec: ExportSpec): AsyncGenerator<Cell[][]> {
  const k = ctx.db.kysely;
  const names = new Names(k, spec.accountId);
  // One instant for every link of the export: each works for the signed-link lifetime from now.
  const now = ctx.clock.now();
  const scope = await scopeConditions(ctx, spec);
  let after: [string, number, string] | undefined;
  for (;;) {
    let q = messageQuery(ctx, spec, scope).select([
      'm.id',
      'm.conversation_id',
      'm.created_at',
      'm.direction',
      'm.author_kind',
      'm.author_id',
      'm.channel_id',
      'm.content_kind',
      'm.private',
      'm.body',
      'm.delivery_status',
    ]);
    if (after) {
      const [conv, at, id] = after;
      q = q.where(
        sql<boolean>`(m.conversation_id > ${conv} or (m.conversation_id = ${conv} and (m.created_at > ${at} or (m.created_at = ${at} and m.id > ${id}))))`,
      );
    }
    const rows = await q
      .orderBy('m.conversation_id')
      .orderBy('m.created_at')
      .orderBy('m.id')
      .limit(EXPORT_BATCH)
      .execute();
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const files = await k
      .selectFrom('attachments')
      .select(['id', 'message_id', 'name', 'storage_key', 'source_url'])
      .where('message_id', 'in', ids)
      .orderBy('id')
      .execute();
    const contactIds = [
      ...new Set(rows.filter((r) => r.author_kind === 'contact' && r.author_id).map((r) => r.author_id!)),
    ];
    const contacts = contactIds.length
      ? await k
          .selectFrom('contacts')
          .select(['id', 'name', 'phone', 'email'])
          .where('id', 'in', contactIds)
          .execute()
      : [];
    const contactName = new Map(contacts.map((c) => [c.id, c.name ?? c.phone ?? c.email ?? '']));
    const filesOf = groupBy(files, (f) => f.message_id);
    const out: Cell[][] = [];
    for (const r of rows) {
      const atts = filesOf.get(r.id) ?? [];
      // A line the system wrote into the history ("Ada took the conversation") is neither a message
      // to the customer nor a colleague's note: its own direction, never a private note.
      const system = r.author_kind === 'system' && r.content_kind === 'system';
      const author =
        r.author_kind === 'contact'
          ? (contactName.get(r.author_id ?? '') ?? '')
          : r.author_kind === 'user'
            ? await names.get('users', r.author_id)
            : r.author_kind;
      out.push([
        r.conversation_id,
        r.id,
        r.created_at,
        system ? 'system' : r.direction,
        author,
        r.author_kind,
        (await names.channel(r.channel_id)).name,
        r.content_kind,
        r.private === 1 && !system ? 'yes' : '',
        r.body,
        r.delivery_status,
        atts
          .map((a) => a.name ?? '')
          .filter(Boolean)
          .join('\n') || null,
        atts
          .map((a) => (a.storage_key ? signedFileLink(ctx, a.id, now).url : (a.source_url ?? '')))
          .filter(Boolean)
          .join('\n') || null,
      ]);
    }
    yield out;
    const last = rows[rows.length - 1]!;
    after = [last.conversation_id, last.created_at, last.id];
  }
}

/** Conversation rows, oldest first, page by page. */
/** `defs`: the account's custom attributes, one column each after the standard ones (attributeColumns). */
export async function* conversationRows(
  ctx: AppContext,
  spec: ExportSpec,
  defs: AttributeDefinition[] = [],
): AsyncGenerator<Cell[][]> {
  const k = ctx.db.kysely;
  const names = new Names(k, spec.accountId);
  const scope = await scopeConditions(ctx, spec);
  let after: [number, string] | undefined;
  for (;;) {
    let q = conversationQuery(ctx, spec, scope).selectAll('c');
    if (after) {
      const [at, id] = after;
      q = q.where(sql<boolean>`(c.created_at > ${at} or (c.created_at = ${at} and c.id > ${id}))`);
    }
    const rows = await q.orderBy('c.created_at').orderBy('c.id').limit(EXPORT_BATCH).execute();
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const contactIds = [...new Set(rows.map((r) => r.contact_id))];
    const [contacts, identities, labels, counts, ratings] = await Promise.all([
      k
        .selectFrom('contacts')
        .select(['id', 'name', 'phone', 'email', 'attributes'])
        .where('id', 'in', contactIds)
        .execute(),
      k
        .selectFrom('contact_identities as i')
        .innerJoin('channels as ch', 'ch.id', 'i.channel_id')
        .select(['i.contact_id', 'i.external_id', 'ch.type'])
        .where('i.contact_id', 'in', contactIds)
        .orderBy('i.id')
        .execute(),
      k
        .selectFrom('conversation_labels')
        .select(['conversation_id', 'label'])
        .where('conversation_id', 'in', ids)
        .orderBy('label')
        .execute(),
      k
        .selectFrom('messages')
        .select([
          'conversation_id',
          'direction',
          'private',
          'content_kind',
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .where('conversation_id', 'in', ids)
        .groupBy(['conversation_id', 'direction', 'private', 'content_kind'])
        .execute(),
      k
        .selectFrom('csat_surveys')
        .select(['conversation_id', 'rating', 'comment'])
        .where('conversation_id', 'in', ids)
        .where('rating', 'is not', null)
        .orderBy('rated_at')
        .execute(),
    ]);
    // The conversation's rating is its latest answered survey's (as GET /conversations/:id shows it).
    const ratingOf = new Map(ratings.map((x) => [x.conversation_id, x]));
    const contactById = new Map(contacts.map((c) => [c.id, c]));
    const identitiesOf = groupBy(identities, (i) => i.contact_id);
    const labelsOf = groupBy(labels, (l) => l.conversation_id);
    const countsOf = groupBy(counts, (x) => x.conversation_id);
    const out: Cell[][] = [];
    for (const r of rows) {
      const c = contactById.get(r.contact_id);
      const n = { total: 0, in: 0, out: 0, notes: 0 };
      for (const x of countsOf.get(r.id) ?? []) {
        const v = Number(x.n);
        // System lines (assignment changes and the like) are history, not messages or notes.
        if (x.content_kind === 'system') continue;
        n.total += v;
        if (x.private === 1) n.notes += v;
        else if (x.direction === 'in') n.in += v;
        else n.out += v;
      }
      const channel = await names.channel(r.channel_id);
      out.push([
        r.id,
        channel.name,
        channel.type,
        c?.name ?? null,
        c?.phone ?? null,
        c?.email ?? null,
        (identitiesOf.get(r.contact_id) ?? []).map((i) => `${i.type}:${i.external_id}`).join('\n') || null,
        r.status,
        r.priority,
        (await names.get('users', r.assignee_id)) || null,
        (await names.get('teams', r.team_id)) || null,
        (labelsOf.get(r.id) ?? []).map((l) => l.label).join(', ') || null,
        r.created_at,
        r.first_response_ms === null ? null : Math.round(r.first_response_ms / 1000),
        r.resolved_at,
        r.last_activity_at,
        n.total,
        n.in,
        n.out,
        n.notes,
        ratingOf.get(r.id)?.rating ?? null,
        ratingOf.get(r.id)?.comment ?? null,
        ...attributeCells(defs, parseAttributes(c?.attributes), parseAttributes(r.attributes)),
      ]);
    }
    yield out;
    const last = rows[rows.length - 1]!;
    after = [last.created_at, last.id];
  }
}
