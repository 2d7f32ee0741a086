import { CONVERSATION_STATUSES, type ConversationStatus } from '@switchboard/shared';
import { qs } from '../../api/http.ts';
import type { Location } from '../../lib/router.ts';
import { type InboxFilter, type InboxView, VIEWS } from './inbox-filter.ts';

/** `/inbox/<view>[/<conversationId>]?status=&channel=&team=&sort=`: the inbox state lives in the URL. */
export function inboxFromLocation(loc: Location): { filter: InboxFilter; conversationId?: string } {
  const [, view, conversationId] = loc.segments;
  const status = loc.query.get('status');
  return {
    filter: {
      view: VIEWS.includes(view as InboxView) ? (view as InboxView) : 'mine',
      status:
        status === 'any' || CONVERSATION_STATUSES.includes(status as ConversationStatus)
          ? (status as ConversationStatus | 'any')
          : 'open',
      channel: loc.query.get('channel') ?? undefined,
      team: loc.query.get('team') ?? undefined,
      sort: loc.query.get('sort') === 'sla_due' ? 'sla_due' : undefined,
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
      sort: f.sort === 'sla_due' ? 'sla_due' : undefined,
    })
  );
}
