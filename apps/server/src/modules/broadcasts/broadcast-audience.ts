import type { Db } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { applyContactFilter } from '../contacts/contact-filter.ts';
import { segmentFilter } from '../segments/segment.service.ts';
import { MAX_BROADCAST_CONTACTS } from './broadcast.dto.ts';

export const AUDIENCE_CHUNK = 500;

export interface AudienceChoice {
  contactIds?: string[] | undefined;
  label?: string | undefined;
  segmentId?: string | undefined;
}

/**
 * The recipients: the given contacts of this account, everyone with the label and/or everyone the saved
 * segment matches now, each once.
 * Unknown ids and an empty or too large audience are validation errors naming the field, so a form
 * can show them where they belong. `allowEmpty` is for the preview, where "nobody" is an answer.
 */
export async function resolveAudience(
  db: Db,
  accountId: string,
  b: AudienceChoice,
  opts: { allowEmpty?: boolean } = {},
): Promise<string[]> {
  const k = db.kysely;
  const ids = new Set<string>();
  if (b.contactIds) {
    const wanted = [...new Set(b.contactIds)];
    for (let i = 0; i < wanted.length; i += AUDIENCE_CHUNK) {
      const part = wanted.slice(i, i + AUDIENCE_CHUNK);
      const found = await k
        .selectFrom('contacts')
        .select('id')
        .where('account_id', '=', accountId)
        .where('id', 'in', part)
        .execute();
      for (const r of found) ids.add(r.id);
    }
    const unknown = wanted.filter((id) => !ids.has(id));
    if (unknown.length) {
      throw new DomainError(
        'validation_error',
        `contactIds: ${unknown.length} unknown contact(s) in this account, e.g. ${unknown[0]}`,
        [{ path: 'body.contactIds', message: `unknown: ${unknown.slice(0, 20).join(', ')}` }],
      );
    }
  }
  if (b.label) {
    const labelled = await k
      .selectFrom('contact_labels')
      .select('contact_id')
      .where('account_id', '=', accountId)
      .where('label', '=', b.label)
      .execute();
    for (const r of labelled) ids.add(r.contact_id);
  }
  let segmentCount = 0;
  if (b.segmentId) {
    const filter = await segmentFilter(k, accountId, b.segmentId);
    const q = await applyContactFilter(
      k,
      db.dialect,
      accountId,
      k.selectFrom('contacts').select('contacts.id'),
      filter,
    );
    // One over the limit is enough to refuse; a huge segment is never read whole.
    const matched = await q.limit(MAX_BROADCAST_CONTACTS + 1).execute();
    segmentCount = matched.length;
    for (const r of matched) ids.add(r.id);
  }
  if (ids.size === 0 && !opts.allowEmpty) {
    const field = b.segmentId ? 'segmentId' : 'label';
    const why = b.segmentId ? 'no contact matches this segment' : 'no contact has this label';
    throw new DomainError('validation_error', `${field}: ${why}`, [{ path: `body.${field}`, message: why }]);
  }
  if (ids.size > MAX_BROADCAST_CONTACTS)
    throw new DomainError(
      'validation_error',
      `too many recipients (${ids.size}); at most ${MAX_BROADCAST_CONTACTS} at once`,
      [
        {
          path:
            segmentCount > MAX_BROADCAST_CONTACTS || (b.segmentId && !b.label)
              ? 'body.segmentId'
              : b.label
                ? 'body.label'
                : 'body.contactIds',
          message: `${ids.size} recipients; at most ${MAX_BROADCAST_CONTACTS}`,
        },
      ],
    );
  return [...ids];
}
