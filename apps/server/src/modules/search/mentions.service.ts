import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';
import { accountTimeZone } from '../accounts/account-time-zone.ts';
import { type DocFilter, matchingDocs, type SearchScope } from './matching-docs.ts';
import type { ParsedQuery } from './text-analysis.ts';

import type { MentionsCustomer, MentionsReport } from '@switchboard/shared';

// Matches are grouped per quarter hour in SQL (every zone offset is a multiple of 15 minutes), then
// folded into local days here: the same answer on both dialects without their time-zone functions.
const BUCKET = 900_000;

/** Who mentioned the query (customer messages by default), how often, and on which days. */
export async function mentionsReport(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  customersLimit: number,
): Promise<MentionsReport> {
  const k = ctx.db.kysely;
  const bucket = sql<number>`d.created_at / ${sql.lit(BUCKET)}`;
  const groups = await matchingDocs(k, ctx.db.dialect, scope, q, {
    ...f,
    kind: 'messages',
    direction: f.direction ?? 'in',
  })
    .select([
      bucket.as('b'),
      'd.conversation_id',
      'd.contact_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('d.created_at').as('first_at'),
      (eb) => eb.fn.max('d.created_at').as('last_at'),
    ])
    .groupBy([bucket, 'd.conversation_id', 'd.contact_id'])
    .execute();

  const timeZone = await accountTimeZone(ctx, scope.accountId);
  const zone = new ZonedTime(timeZone);
  const days = new Map<string, { messages: number; conversations: Set<string>; customers: Set<string> }>();
  const customers = new Map<
    string,
    Omit<MentionsCustomer, 'name' | 'phone' | 'email' | 'conversations'> & { convs: Set<string> }
  >();
  const allConvs = new Set<string>();
  let total = 0;
  for (const g of groups) {
    const n = Number(g.n);
    const conv = g.conversation_id ?? '';
    total += n;
    allConvs.add(conv);
    const key = zone.day(Number(g.b) * BUCKET);
    let day = days.get(key);
    if (!day) {
      day = { messages: 0, conversations: new Set(), customers: new Set() };
      days.set(key, day);
    }
    day.messages += n;
    day.conversations.add(conv);
    day.customers.add(g.contact_id);
    const first = Number(g.first_at);
    const last = Number(g.last_at);
    const c = customers.get(g.contact_id);
    if (!c) {
      customers.set(g.contact_id, {
        contactId: g.contact_id,
        messages: n,
        firstAt: first,
        lastAt: last,
        convs: new Set([conv]),
      });
    } else {
      c.messages += n;
      c.firstAt = Math.min(c.firstAt, first);
      c.lastAt = Math.max(c.lastAt, last);
      c.convs.add(conv);
    }
  }
  const top = [...customers.values()]
    .sort((a, b) => b.messages - a.messages || b.lastAt - a.lastAt || (a.contactId < b.contactId ? -1 : 1))
    .slice(0, customersLimit);
  const details = top.length
    ? await k
        .selectFrom('contacts')
        .select(['id', 'name', 'phone', 'email'])
        .where('account_id', '=', scope.accountId)
        .where(
          'id',
          'in',
          top.map((c) => c.contactId),
        )
        .execute()
    : [];
  const byId = new Map(details.map((d) => [d.id, d]));
  return {
    timeZone,
    totals: { messages: total, conversations: allConvs.size, customers: customers.size },
    byDay: [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, v]) => ({
        day,
        messages: v.messages,
        conversations: v.conversations.size,
        customers: v.customers.size,
      })),
    customers: top.map((c) => ({
      contactId: c.contactId,
      name: byId.get(c.contactId)?.name ?? null,
      phone: byId.get(c.contactId)?.phone ?? null,
      email: byId.get(c.contactId)?.email ?? null,
      messages: c.messages,
      conversations: c.convs.size,
      firstAt: c.firstAt,
      lastAt: c.lastAt,
    })),
    customersTotal: customers.size,
  };
}
