import {
  CONVERSATION_SORTS,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  SLA_STATES,
  type SlaState,
} from '@switchboard/shared';
import { qs } from '../../api/http.ts';
import type { Location } from '../../lib/router.ts';
import { type InboxFilter, type InboxSort, type InboxView, VIEWS } from './inbox-filter.ts';

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  values.includes(v as T) ? (v as T) : undefined;

/**
 * `/inbox/<view>[/<conversationId>]?status=&channel=&team=&label=&attr=&sla=&sort=`: the inbox state
 * lives in the URL, so a saved view opens as a link.
 */
export function inboxFromLocation(loc: Location): { filter: InboxFilter; conversationId?: string } {
  const [, view, conversationId] = loc.segments;
  const status = loc.query.get('status');
  const sort = oneOf<InboxSort>(CONVERSATION_SORTS, loc.query.get('sort'));
  const attribute = loc.query.get('attr');
  return {
    filter: {
      view: VIEWS.includes(view as InboxView) ? (view as InboxView) : 'mine',
      status:
        status === 'any' || CONVERSATION_STATUSES.includes(status as ConversationStatus)
          ? (status as ConversationStatus | 'any')
          : 'open',
      channel: loc.query.get('channel') ?? undefined,
      team: loc.query.get('team') ?? undefined,
      label: loc.query.get('label') || undefined,
      attribute: attribute?.includes(':') ? attribute : undefined,
      slaState: oneOf<SlaState>(SLA_STATES, loc.query.get('sla')),
      sort: sort === 'activity' ? undefined : sort,
    },
    conversationId,
  };
}

export function inboxHref(f: InboxFilter, conversationId?: string): string {
  const path = `/inbox/${f.view}${conversationId ? `/${encodeURIComponent(conversationId)}` : ''}`;
  return (
    path +
    qs({
      status: f.status === 'open' ? undefined : f.status,
      channel: f.channel,
      team: f.team,
      label: f.label,
      attr: f.attribute,
      sla: f.slaState,
      sort: f.sort,
    })
  );
}
