import type { ConversationStatus } from '@switchboard/shared';
import type { Conversation } from '../../api/types.ts';

export const VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof VIEWS)[number];

/** A conversation list as the server filters it (GET /api/v1/conversations). */
export interface InboxFilter {
  view: InboxView;
  status: ConversationStatus | 'any';
  channel?: string;
  team?: string;
}

export function filterParams(f: InboxFilter): Record<string, string | undefined> {
  return {
    assignee: f.view === 'mine' ? 'me' : f.view === 'unassigned' ? 'none' : undefined,
    status: f.status === 'any' ? undefined : f.status,
    channel: f.channel,
    team: f.team,
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
