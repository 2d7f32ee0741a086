import type { Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { MAX_BROADCAST_CONTACTS } from './broadcast.dto.ts';

export const AUDIENCE_CHUNK = 500;

export interface AudienceChoice {
  contactIds?: string[] | undefined;
  label?: string | undefined;
}

/**
 * The recipients: the given contacts of this account and/or everyone with the label, each once.
 * Unknown ids and an empty or too large audience are validation errors naming the field, so a form
 * can show them where they belong. `allowEmpty` is for the preview, where "nobody" is an answer.
 */
export async function resolveAudience(
  k: Tx,
  accountId: string,
  b: AudienceChoice,
  opts: { allowEmpty?: boolean } = {},
): Promise<string[]> {
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
  if (ids.size === 0 && !opts.allowEmpty)
    throw new DomainError('validation_error', 'label: no contact has this label', [
      { path: 'body.label', message: 'no contact has this label' },
    ]);
  if (ids.size > MAX_BROADCAST_CONTACTS)
    throw new DomainError(
      'validation_error',
      `too many recipients (${ids.size}); at most ${MAX_BROADCAST_CONTACTS} at once`,
      [
        {
          path: b.label ? 'body.label' : 'body.contactIds',
          message: `${ids.size} recipients; at most ${MAX_BROADCAST_CONTACTS}`,
        },
      ],
    );
  return [...ids];
}
