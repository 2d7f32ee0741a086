import { describe, expect, it } from 'vitest';
import { activeFilters, nextDay, searchApiParams, searchFromQuery, searchHref } from './search-route.ts';

describe('search state in the URL', () => {
  it('reads every filter and drops what is not valid', () => {
    const s = searchFromQuery(
      new URLSearchParams(
        'q=order&sort=recent&channel=c1&status=resolved&assignee=me&team=t1&label=vip&from=2026-01-02&to=2026-01-31',
      ),
    );
    expect(s).toEqual({
      q: 'order',
      sort: 'recent',
      channel: 'c1',
      status: 'resolved',
      assignee: 'me',
      team: 't1',
      label: 'vip',
      from: '2026-01-02',
      to: '2026-01-31',
    });
    expect(activeFilters(s)).toBe(7);
    const bad = searchFromQuery(new URLSearchParams('q=x&status=lost&from=yesterday&sort=odd'));
    expect(bad).toEqual({ q: 'x', sort: 'relevance' });
    expect(activeFilters(bad)).toBe(0);
  });

  it('writes the state back the same way, and sends the last day included', () => {
    const href = '/search?q=order&sort=recent&status=open&label=vip&to=2026-02-28';
    const s = searchFromQuery(new URL(href, 'http://x').searchParams);
    expect(searchHref(s)).toBe(href);
    expect(searchApiParams(s).to).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
