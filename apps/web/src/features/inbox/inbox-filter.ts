import type { ConversationStatus } from '@switchboard/shared';
import type { Conversation } from '../../api/types.ts';

export const VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof VIEWS)[number];

/** The list orders GET /conversations offers: newest activity (default) or nearest SLA due time. */
export const INBOX_SORTS = ['activity', 'sla_due'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** A conversation list as the server filters it (GET /api/v1/conversations). */
export interface InboxFilter {
  view: InboxView;
  status: ConversationStatus | 'any';
  channel?: string;
  team?: string;
  /** Absent: newest activity first. */
  sort?: InboxSort;
}

export function filterParams(f: InboxFilter): Record<string, string | undefined> {
  return {
    assignee: f.view === 'mine' ? 'me' : f.view === 'unassigned' ? 'none' : undefined,
    status: f.status === 'any' ? undefined : f.status,
    channel: f.channel,
    team: f.team,
    sort: f.sort === 'sla_due' ? 'sla_due' : undefined,
  };
}

/** Whether a (live-updated) conversation belongs in a list, mirroring the server's filter. */
export function matchesFilter(f: InboxFilter, c: Conversation, meId: string): boolean {
  if (f.view === 'mine' && c.assigneeId !== meId) return false;
  if (f.view === 'unassigned' && c.assigneeId !== null) return false;
  if (f.status !== 'any' && c.status !== f.status) return false;
  if (f.channel && c.channel.id !== f.channel) return false;
  if (f.team && c.teamId !== f.team) return false;
  return true;
}

/** Newest activity first, ties by id (the server's order). */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Nearest SLA due time first, conversations without a running target last, ties by id ascending (the server's order). */
export function compareBySlaDue(a: Conversation, b: Conversation): number {
  const da = a.sla?.dueAt ?? Number.MAX_SAFE_INTEGER;
  const db = b.sla?.dueAt ?? Number.MAX_SAFE_INTEGER;
  if (da !== db) return da - db;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The order a live-updated conversation takes in a list, as the server sorts that list. */
export function comparatorOf(f: InboxFilter): (a: Conversation, b: Conversation) => number {
  return f.sort === 'sla_due' ? compareBySlaDue : compareConversations;
}
