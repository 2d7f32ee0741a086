import { describe, expect, it } from 'vitest';
import type { InboxFilter } from '../inbox/inbox-filter.ts';
import { inboxFilterOf, viewFiltersOf, viewHref } from './view-filters.ts';

describe('saved view filters', () => {
  it('round-trip the inbox filters and open as the same inbox URL', () => {
    const f: InboxFilter = {
      view: 'unassigned',
      status: 'any',
      channel: 'ch1',
      label: 'vip',
      attribute: 'tier:gold',
      slaState: 'due_soon',
      sort: 'oldest_waiting',
    };
    const saved = viewFiltersOf(f);
    expect(saved).toEqual({
      status: 'any',
      assignee: 'none',
      channel: 'ch1',
      label: 'vip',
      attribute: ['tier:gold'],
      slaState: 'due_soon',
      sort: 'oldest_waiting',
    });
    expect(inboxFilterOf(saved)).toEqual({ ...f, team: undefined });
    expect(viewHref(saved)).toBe(
      '/inbox/unassigned?status=any&channel=ch1&label=vip&attr=tier%3Agold&sla=due_soon&sort=oldest_waiting',
    );
  });

  it('opens an empty view as every open conversation, newest first', () => {
    expect(viewHref({})).toBe('/inbox/all');
    expect(viewHref({ assignee: 'me', sort: 'activity' })).toBe('/inbox/mine');
  });
});
