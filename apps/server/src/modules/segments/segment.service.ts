import { type ContactFilter, contactFilterSchema, type SegmentDto } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { notFound } from '../../lib/domain-error.ts';

export function toSegmentDto(r: Row<'contact_segments'>, count?: number): SegmentDto {
  return {
    id: r.id,
    name: r.name,
    filter: parseFilter(r.filter),
    ...(count === undefined ? {} : { count }),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A stored filter is read through the contract again, so a field renamed later cannot widen it silently. */
function parseFilter(json: string): ContactFilter {
  return contactFilterSchema.parse(JSON.parse(json));
}

export async function loadSegment(k: Tx, accountId: string, id: string): Promise<Row<'contact_segments'>> {
  const row = await k
    .selectFrom('contact_segments')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Segment');
  return row;
}

/** The filter of one of the account's segments (404 for another account's or an unknown id). */
export async function segmentFilter(k: Tx, accountId: string, id: string): Promise<ContactFilter> {
  return parseFilter((await loadSegment(k, accountId, id)).filter);
}
