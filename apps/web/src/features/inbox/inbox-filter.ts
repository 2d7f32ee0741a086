import {
  CONVERSATION_SORTS,
  type ConversationSort,
  type ConversationStatus,
  type SlaState,
  slaStateOf,
} from '@switchboard/shared';
import type { Conversation } from '../../api/types.ts';

export const VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof VIEWS)[number];

/** The list orders GET /conversations offers: newest activity (default), longest waiting, priority, SLA due. */
export const INBOX_SORTS = CONVERSATION_SORTS;
export type InboxSort = ConversationSort;

/** A conversation list as the server filters it (GET /api/v1/conversations). */
export interface InboxFilter {
  view: InboxView;
  status: ConversationStatus | 'any';
  channel?: string;
  team?: string;
  label?: string;
  /** One custom conversation attribute condition, `key:value`. */
  attribute?: string;
  slaState?: SlaState;
  /** Absent: newest activity first. */
  sort?: Exclude<InboxSort, 'activity'>;
}

export function filterParams(f: InboxFilter): Record<string, string | undefined> {
  return {
    assignee: f.view === 'mine' ? 'me' : f.view === 'unassigned' ? 'none' : undefined,
    status: f.status === 'any' ? undefined : f.status,
    channel: f.channel,
    team: f.team,
    label: f.label,
    attribute: f.attribute,
    slaState: f.slaState,
    sort: f.sort,
  };
}

/** Whether a (live-updated) conversation belongs in a list, mirroring the server's filter. */
export function matchesFilter(f: InboxFilter, c: Conversation, meId: string, now = Date.now()): boolean {
  if (f.view === 'mine' && c.assigneeId !== meId) return false;
  if (f.view === 'unassigned' && c.assigneeId !== null) return false;
  if (f.status !== 'any' && c.status !== f.status) return false;
  if (f.channel && c.channel.id !== f.channel) return false;
  if (f.team && c.teamId !== f.team) return false;
  if (f.label && !c.labels.includes(f.label)) return false;
  if (f.slaState && slaStateOf(c.sla, now) !== f.slaState) return false;
  if (f.attribute) {
    const at = f.attribute.indexOf(':');
    const v = c.attributes[f.attribute.slice(0, at)];
    // Values as written in the filter: numbers, dates, options and true/false compare as text.
    if (v === undefined || v === null || String(v) !== f.attribute.slice(at + 1)) return false;
  }
  return true;
}

const byIdAsc = (a: Conversation, b: Conversation) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Newest activity first, ties by id (the server's order). */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return -byIdAsc(a, b);
}

/** Nearest SLA due time first, conversations without a running target last, ties by id ascending (the server's order). */
export function compareBySlaDue(a: Conversation, b: Conversation): number {
  const da = a.sla?.dueAt ?? Number.MAX_SAFE_INTEGER;
  const db = b.sla?.dueAt ?? Number.MAX_SAFE_INTEGER;
  return da !== db ? da - db : byIdAsc(a, b);
}

/** The customer waiting longest first, conversations nobody waits on last, ties by id ascending (the server's order). */
export function compareByWaiting(a: Conversation, b: Conversation): number {
  const wa = a.waitingSince ?? Number.MAX_SAFE_INTEGER;
  const wb = b.waitingSince ?? Number.MAX_SAFE_INTEGER;
  return wa !== wb ? wa - wb : byIdAsc(a, b);
}

const PRIORITY_RANK: Record<Conversation['priority'], number> = {
  urgent: 0,
  high: 1,
  medium: 2,
  low: 3,
  none: 4,
};

/** Urgent, high, medium, low, none; each newest activity first (the server's order). */
export function compareByPriority(a: Conversation, b: Conversation): number {
  const d = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  return d !== 0 ? d : compareConversations(a, b);
}

const COMPARATORS: Record<InboxSort, (a: Conversation, b: Conversation) => number> = {
  activity: compareConversations,
  oldest_waiting: compareByWaiting,
  priority: compareByPriority,
  sla_due: compareBySlaDue,
};

/** The order a live-updated conversation takes in a list, as the server sorts that list. */
export function comparatorOf(f: InboxFilter): (a: Conversation, b: Conversation) => number {
  return COMPARATORS[f.sort ?? 'activity'];
}
