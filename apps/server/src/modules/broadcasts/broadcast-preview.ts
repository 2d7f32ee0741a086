import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { consentScope } from '../consent/consent-scope.ts';
import { loadChannelRouting } from '../routing/settings/routing-settings.ts';
import { sendAllowed, windowState } from '../routing/window/window-policy.ts';
import { AUDIENCE_CHUNK } from './broadcast-audience.ts';

export interface PreviewCounts {
  total: number;
  queued: number;
  windowClosed: number;
  optedOut: number;
  noIdentity: number;
}

/**
 * What the broadcast job would decide for each recipient if it ran now (broadcast.job.ts `decide`),
 * in a few chunked queries instead of one transaction per contact: the address on the channel, the
 * newest conversation's last inbound time (what the window is measured from) and the consent in the
 * channel's scope. Only an estimate: the job decides again when each recipient's turn comes.
 */
export async function previewOutcomes(
  k: Tx,
  channel: Row<'channels'>,
  contactIds: string[],
  kind: 'text' | 'template',
  now: number,
): Promise<PreviewCounts> {
  const routing = await loadChannelRouting(k, channel);
  const scope = consentScope(channel.type);
  const counts: PreviewCounts = {
    total: contactIds.length,
    queued: 0,
    windowClosed: 0,
    optedOut: 0,
    noIdentity: 0,
  };
  for (let i = 0; i < contactIds.length; i += AUDIENCE_CHUNK) {
    const part = contactIds.slice(i, i + AUDIENCE_CHUNK);
    const identities = await k
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('channel_id', '=', channel.id)
      .where('contact_id', 'in', part)
      .execute();
    const conversations = await k
      .selectFrom('conversations')
      .select(['contact_id', 'id', 'created_at', 'last_inbound_at'])
      .where('channel_id', '=', channel.id)
      .where('contact_id', 'in', part)
      .execute();
    const consents = await k
      .selectFrom('contact_consents')
      .select(['contact_id', 'status'])
      .where('scope', '=', scope)
      .where('contact_id', 'in', part)
      .execute();
    const reachable = new Set(identities.map((r) => r.contact_id));
    const newest = new Map<string, (typeof conversations)[number]>();
    for (const c of conversations) {
      const seen = newest.get(c.contact_id);
      if (!seen || c.created_at > seen.created_at || (c.created_at === seen.created_at && c.id > seen.id))
        newest.set(c.contact_id, c);
    }
    const consent = new Map(consents.map((r) => [r.contact_id, r.status]));
    for (const id of part) {
      if (!reachable.has(id)) {
        counts.noIdentity++;
        continue;
      }
      const status = consent.get(id);
      const state = windowState(
        channel.type,
        routing.windowMs,
        newest.get(id)?.last_inbound_at ?? null,
        now,
        { optedOut: status === 'opted_out', optedIn: status === 'opted_in' },
      );
      if (sendAllowed(state, kind === 'template' ? 'template' : 'broadcast')) counts.queued++;
      else if (state.reason === 'opted_out') counts.optedOut++;
      else counts.windowClosed++;
    }
  }
  return counts;
}
