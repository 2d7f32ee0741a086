import type { ViewFilters } from '@switchboard/shared';
import type { InboxFilter } from '../inbox/inbox-filter.ts';
import { inboxHref } from '../inbox/inbox-route.ts';

/** The saved form of the inbox's current filters (the GET /conversations query fields). */
export function viewFiltersOf(f: InboxFilter): ViewFilters {
  const out: ViewFilters = {
    status: f.status,
    assignee: f.view === 'mine' ? 'me' : f.view === 'unassigned' ? 'none' : undefined,
    team: f.team,
    channel: f.channel,
    label: f.label,
    attribute: f.attribute ? [f.attribute] : undefined,
    slaState: f.slaState,
    sort: f.sort,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ViewFilters;
}

/**
 * The inbox filters a saved view opens. "Me" is whoever opens it; an assignee saved by id (through the
 * API) shows every assignee here, and the console applies one attribute condition (the first).
 */
export function inboxFilterOf(v: ViewFilters): InboxFilter {
  return {
    view: v.assignee === 'me' ? 'mine' : v.assignee === 'none' ? 'unassigned' : 'all',
    status: v.status ?? 'open',
    team: v.team,
    channel: v.channel,
    label: v.label,
    attribute: v.attribute?.[0],
    slaState: v.slaState,
    sort: v.sort === 'activity' ? undefined : v.sort,
  };
}

/** Where a view opens: the inbox URL of its filters (a view is "open" while the inbox shows that URL). */
export const viewHref = (v: ViewFilters) => inboxHref(inboxFilterOf(v));
