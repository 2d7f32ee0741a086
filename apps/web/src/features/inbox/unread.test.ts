import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../api/types.ts';
import { keepUnread } from './unread.ts';
import { affectsCounts } from './use-counts.ts';

const conv = (patch: Partial<Conversation> = {}): Conversation => ({
  id: 'c1',
  status: 'open',
  priority: 'none',
  assigneeId: null,
  teamId: null,
  labels: [],
  attributes: {},
  channel: { id: 'ch1', type: 'api', name: 'Shop' },
  contact: { id: 'k1', name: 'Maria', phone: null, email: null },
  snoozedUntil: null,
  lastInboundAt: 1,
  lastOutboundAt: null,
  lastActivityAt: 1,
  lastMessagePreview: 'hi',
  waitingSince: null,
  firstResponseAt: null,
  firstResponseMs: null,
  resolvedAt: null,
  createdAt: 1,
  updatedAt: 1,
  sla: null,
  ...patch,
});

describe('unread counts between fetches', () => {
  it('keeps the known count when an event brings the conversation without one', () => {
    expect(keepUnread(conv(), 3).unreadCount).toBe(3);
    expect(keepUnread(conv({ unreadCount: 0 }), 3).unreadCount).toBe(0);
    expect(keepUnread(conv(), undefined).unreadCount).toBeUndefined();
  });
});

describe('which conversation changes refresh the view counts', () => {
  it('a new or unknown conversation, or a change of status, assignee, team or channel', () => {
    const before = conv();
    expect(affectsCounts(undefined, before)).toBe(true);
    expect(affectsCounts(before, conv({ lastActivityAt: 5, lastMessagePreview: 'again' }))).toBe(false);
    expect(affectsCounts(before, conv({ status: 'resolved' }))).toBe(true);
    expect(affectsCounts(before, conv({ assigneeId: 'u1' }))).toBe(true);
    expect(affectsCounts(before, conv({ teamId: 't1' }))).toBe(true);
    expect(affectsCounts(before, conv({ channel: { id: 'ch2', type: 'api', name: 'Other' } }))).toBe(true);
  });
});
