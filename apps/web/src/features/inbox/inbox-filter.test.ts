import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../api/types.ts';
import { conv as at } from './test-conversation.ts';
import { comparatorOf, type InboxFilter, matchesFilter } from './inbox-filter.ts';

const NOW = 1_000_000_000;
const MIN = 60_000;

const conv = (id: string, over: Partial<Conversation>) => at(id, NOW, over);
const sorted = (f: InboxFilter, cs: Conversation[]) => [...cs].sort(comparatorOf(f)).map((c) => c.id);

describe('live inbox order and filters (as the server lists them)', () => {
  const all: InboxFilter = { view: 'all', status: 'any' };

  it('oldest waiting first, nobody waiting last by id; priority then newest activity', () => {
    const cs = [
      conv('a', { waitingSince: NOW - MIN, priority: 'low', lastActivityAt: NOW }),
      conv('b', { waitingSince: null, priority: 'urgent', lastActivityAt: NOW - 5 }),
      conv('c', { waitingSince: NOW - 5 * MIN, priority: 'urgent', lastActivityAt: NOW - 1 }),
      conv('d', { waitingSince: null, priority: 'none', lastActivityAt: NOW - 2 }),
    ];
    expect(sorted({ ...all, sort: 'oldest_waiting' }, cs)).toEqual(['c', 'a', 'b', 'd']);
    expect(sorted({ ...all, sort: 'priority' }, cs)).toEqual(['c', 'b', 'a', 'd']);
    expect(sorted(all, cs)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('matches label, attribute and SLA state', () => {
    const sla = (dueAt: number, breached = false) => ({
      policyId: 'p',
      metric: 'first_response' as const,
      dueAt,
      breached,
    });
    const c = conv('a', {
      labels: ['vip'],
      attributes: { total: 5, refund: true },
      sla: sla(NOW + 10 * MIN),
    });
    const m = (f: Partial<InboxFilter>) => matchesFilter({ ...all, ...f }, c, 'me', NOW);
    expect(m({ label: 'vip', attribute: 'total:5', slaState: 'due_soon' })).toBe(true);
    expect(m({ attribute: 'refund:true' })).toBe(true);
    expect(m({ label: 'order' })).toBe(false);
    expect(m({ attribute: 'total:6' })).toBe(false);
    expect(m({ slaState: 'on_track' })).toBe(false);
    expect(matchesFilter({ ...all, slaState: 'breached' }, c, 'me', NOW + 11 * MIN)).toBe(true);
    expect(matchesFilter({ ...all, slaState: 'none' }, conv('b', {}), 'me', NOW)).toBe(true);
  });
});
