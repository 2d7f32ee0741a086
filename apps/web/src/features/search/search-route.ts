import { CONVERSATION_STATUSES, type ConversationStatus } from '@switchboard/shared';
import { qs } from '../../api/http.ts';

/** The search screen's state, all of it in the URL (`/search?q=&sort=&channel=…`), so a result list can be shared. */
export interface SearchState {
  q: string;
  sort: 'relevance' | 'recent';
  channel?: string;
  status?: ConversationStatus;
  /** "me", "none" or a user id. */
  assignee?: string;
  team?: string;
  label?: string;
  /** Days (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function searchFromQuery(query: URLSearchParams): SearchState {
  const opt = (k: string) => query.get(k)?.trim() || undefined;
  const status = opt('status');
  const day = (k: string) => {
    const v = opt(k);
    return v && DAY.test(v) ? v : undefined;
  };
  return {
    q: query.get('q') ?? '',
    sort: query.get('sort') === 'recent' ? 'recent' : 'relevance',
    channel: opt('channel'),
    status: CONVERSATION_STATUSES.includes(status as ConversationStatus)
      ? (status as ConversationStatus)
      : undefined,
    assignee: opt('assignee'),
    team: opt('team'),
    label: opt('label'),
    from: day('from'),
    to: day('to'),
  };
}

export function searchHref(s: SearchState): string {
  return `/search${qs({
    q: s.q || undefined,
    sort: s.sort === 'relevance' ? undefined : s.sort,
    channel: s.channel,
    status: s.status,
    assignee: s.assignee,
    team: s.team,
    label: s.label,
    from: s.from,
    to: s.to,
  })}`;
}

/** The day after a YYYY-MM-DD day: the API's `to` is exclusive, the screen's "to" day is included. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The API's query for a state (dates as UTC days, the last one included). */
export function searchApiParams(s: SearchState): Record<string, string | undefined> {
  return {
    q: s.q,
    sort: s.sort,
    channel: s.channel,
    status: s.status,
    assignee: s.assignee,
    team: s.team,
    label: s.label,
    from: s.from,
    to: s.to ? nextDay(s.to) : undefined,
  };
}

/** How many filters narrow the results (shown on the filters button). */
export function activeFilters(s: SearchState): number {
  return [s.channel, s.status, s.assignee, s.team, s.label, s.from, s.to].filter(Boolean).length;
}
