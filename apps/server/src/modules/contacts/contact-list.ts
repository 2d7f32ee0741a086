import type { ContactDto, ContactFilter } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import { toContactDtos } from './contact.dto.ts';
import { applyContactFilter } from './contact-filter.ts';

/** One page of filtered contacts, newest first (the contacts list and a segment's members). */
export async function contactPage(
  ctx: AppContext,
  accountId: string,
  filter: ContactFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ContactDto[]; nextCursor: string | null }> {
  const k = ctx.db.kysely;
  const cursor = decodeCursor(page.cursor);
  if (page.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
    throw new DomainError('validation_error', 'cursor: malformed');
  let query = await applyContactFilter(
    k,
    ctx.db.dialect,
    accountId,
    k.selectFrom('contacts').selectAll('contacts'),
    filter,
  );
  if (cursor) {
    const [at, id] = cursor as [number, string];
    query = query.where((eb) =>
      eb.or([
        eb('contacts.created_at', '<', at),
        eb.and([eb('contacts.created_at', '=', at), eb('contacts.id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('contacts.created_at', 'desc')
    .orderBy('contacts.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: await toContactDtos(k, items),
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/** How many contacts a filter matches now. */
export async function countContacts(
  ctx: AppContext,
  accountId: string,
  filter: ContactFilter,
): Promise<number> {
  const k = ctx.db.kysely;
  const q = await applyContactFilter(k, ctx.db.dialect, accountId, k.selectFrom('contacts'), filter);
  const r = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
