import type { AppContext } from '../../../app-context.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { notFound } from '../../../lib/domain-error.ts';

/**
 * The undo's locks, in the merge's order (identities, then contacts by id): an inbound message on a
 * moved identity waits for the split and then lands on the contact the identity went back to.
 */
export async function lockUnmerge(
  ctx: AppContext,
  tx: Tx,
  m: Row<'contact_merges'>,
  identityIds: string[],
): Promise<{ survivor: Row<'contacts'>; other: Row<'contacts'> }> {
  const pg = ctx.db.dialect === 'postgres';
  if (pg && identityIds.length)
    await tx
      .selectFrom('contact_identities')
      .select('id')
      .where('id', 'in', identityIds)
      .orderBy('id')
      .forUpdate()
      .execute();
  const rows = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('id', 'in', [m.survivor_id, m.merged_id])
    .where('account_id', '=', m.account_id)
    .orderBy('id')
    .$if(pg, (q) => q.forUpdate())
    .execute();
  const survivor = rows.find((r) => r.id === m.survivor_id);
  const other = rows.find((r) => r.id === m.merged_id);
  if (!survivor || !other) throw notFound('Contact');
  return { survivor, other };
}
