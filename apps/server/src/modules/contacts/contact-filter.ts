import type { ContactFilter } from '@switchboard/shared';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { DialectName, Tx } from '../../infra/db/database.ts';
import type { Database } from '../../infra/db/schema.ts';
import { attributeConditions } from '../attributes/attribute-filter.ts';
import { loadDefinitions } from '../attributes/attribute-values.ts';

/** LIKE treats % and _ as wildcards; a search for "50%" must find the text "50%". */
function likeContains(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type ContactQuery<O> = SelectQueryBuilder<Database, 'contacts', O>;

/**
 * The account's live contacts narrowed by a contact filter — one rule for the contacts list, a segment's
 * count and members, a broadcast to a segment and a contacts export, so they never disagree.
 */
export async function applyContactFilter<O>(
  k: Tx,
  dialect: DialectName,
  accountId: string,
  query: ContactQuery<O>,
  f: ContactFilter,
): Promise<ContactQuery<O>> {
  let q = query.where('contacts.account_id', '=', accountId).where('contacts.merged_into', 'is', null);
  if (f.q) {
    const pattern = likeContains(f.q);
    const lower = sql.raw(dialect === 'sqlite' ? 'unicode_lower' : 'lower');
    q = q.where((eb) =>
      eb.or(
        (['name', 'phone', 'email'] as const).map(
          (col) => sql<boolean>`${lower}(${sql.ref(`contacts.${col}`)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  const { label, channelId, channelType, conversationStatus, consent } = f;
  if (label)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contact_labels as l')
          .select('l.contact_id')
          .whereRef('l.contact_id', '=', 'contacts.id')
          .where('l.label', '=', label),
      ),
    );
  if (channelId || channelType)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contact_identities as i')
          .innerJoin('channels as ch', 'ch.id', 'i.channel_id')
          .select('i.id')
          .whereRef('i.contact_id', '=', 'contacts.id')
          .$if(channelId !== undefined, (s) => s.where('i.channel_id', '=', channelId!))
          .$if(channelType !== undefined, (s) => s.where('ch.type', '=', channelType!)),
      ),
    );
  if (conversationStatus)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversations as cv')
          .select('cv.id')
          .whereRef('cv.contact_id', '=', 'contacts.id')
          .where('cv.status', '=', conversationStatus),
      ),
    );
  if (consent)
    q = q.where((eb) => {
      const decisions = eb
        .selectFrom('contact_consents as cc')
        .select('cc.contact_id')
        .whereRef('cc.contact_id', '=', 'contacts.id');
      return consent === 'none'
        ? eb.not(eb.exists(decisions))
        : eb.exists(decisions.where('cc.status', '=', consent));
    });
  if (f.createdFrom !== undefined) q = q.where('contacts.created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('contacts.created_at', '<', f.createdTo);
  if (f.attribute) {
    const defs = await loadDefinitions(k, accountId, 'contact');
    for (const cond of attributeConditions(dialect, 'contacts.attributes', f.attribute, defs))
      q = q.where(cond);
  }
  return q;
}

/** The filter fields of a request or a saved segment, without paging or unset keys (stored as JSON). */
export function filterOnly(src: ContactFilter): ContactFilter {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(src))
    if (v !== undefined && key !== 'limit' && key !== 'cursor') out[key] = v;
  return out as ContactFilter;
}
