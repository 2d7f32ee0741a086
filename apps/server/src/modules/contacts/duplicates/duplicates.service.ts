import type { DuplicateGroup, DuplicateReason } from '@switchboard/shared';
import type { Db, Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { notFound } from '../../../lib/domain-error.ts';
import { type ContactDto, toContactDtos } from '../contact.dto.ts';
import { refreshMatchKeys } from './match-keys.ts';

type K = Db['kysely'] | Tx;

/** Live contacts (not merged away) of the account that share the contact's phone or e-mail key. */
export async function duplicatesOf(
  k: K,
  accountId: string,
  contactId: string,
): Promise<{ contact: ContactDto; reasons: DuplicateReason[] }[]> {
  await refreshMatchKeys(k, accountId);
  const me = await k
    .selectFrom('contacts')
    .select(['id', 'phone_key', 'email_key'])
    .where('id', '=', contactId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!me) throw notFound('Contact');
  if (!me.phone_key && !me.email_key) return [];
  const rows = await k
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('merged_into', 'is', null)
    .where('id', '!=', me.id)
    .where((eb) =>
      eb.or([
        ...(me.phone_key ? [eb('phone_key', '=', me.phone_key)] : []),
        ...(me.email_key ? [eb('email_key', '=', me.email_key)] : []),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(50)
    .execute();
  const dtos = await toContactDtos(k, rows);
  return rows.map((r, i) => ({
    contact: dtos[i]!,
    reasons: [
      ...(me.phone_key && r.phone_key === me.phone_key ? (['phone'] as const) : []),
      ...(me.email_key && r.email_key === me.email_key ? (['email'] as const) : []),
    ],
  }));
}

/**
 * Groups of live contacts sharing a phone or e-mail key, groups with the most recently changed contact
 * first. A pair sharing both appears once under `phone`.
 */
export async function duplicateGroups(
  k: K,
  accountId: string,
  limit: number,
): Promise<{ items: DuplicateGroup[]; truncated: boolean }> {
  await refreshMatchKeys(k, accountId);
  const keys = async (col: 'phone_key' | 'email_key') =>
    k
      .selectFrom('contacts')
      .select((eb) => [col, eb.fn.max('updated_at').as('latest')])
      .where('account_id', '=', accountId)
      .where('merged_into', 'is', null)
      .where(col, 'is not', null)
      .groupBy(col)
      .having((eb) => eb.fn.countAll(), '>', 1)
      .orderBy('latest', 'desc')
      .limit(limit + 1)
      .execute();
  const phones = (await keys('phone_key')).map((r) => ({
    reason: 'phone' as const,
    key: r.phone_key as string,
    latest: Number(r.latest),
  }));
  const emails = (await keys('email_key')).map((r) => ({
    reason: 'email' as const,
    key: r.email_key as string,
    latest: Number(r.latest),
  }));
  const all = [...phones, ...emails].sort((a, b) => b.latest - a.latest);
  const items: DuplicateGroup[] = [];
  const seenPairs = new Set<string>();
  for (const g of all) {
    if (items.length === limit) return { items, truncated: true };
    const rows: Row<'contacts'>[] = await k
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('merged_into', 'is', null)
      .where(g.reason === 'phone' ? 'phone_key' : 'email_key', '=', g.key)
      .orderBy('created_at')
      .orderBy('id')
      .limit(20)
      .execute();
    const ids = rows.map((r) => r.id).join(',');
    if (seenPairs.has(ids)) continue;
    seenPairs.add(ids);
    items.push({ reason: g.reason, key: g.key, contacts: await toContactDtos(k, rows) });
  }
  return { items, truncated: phones.length > limit || emails.length > limit };
}
