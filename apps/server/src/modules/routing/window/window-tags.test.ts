import { describe, expect, it } from 'vitest';
import { sendAllowed, tagFor, windowState } from './window-policy.ts';
import { openTag, usableTags } from './window-tags.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
const HUMAN_AGENT = [{ tag: 'HUMAN_AGENT', windowMs: 7 * DAY }];

describe('message tags past the standard window (HUMAN_AGENT)', () => {
  it('a tag gated by a channel setting is usable only when the admin turned it on', () => {
    expect(usableTags('messenger', { humanAgentTag: true })).toEqual(HUMAN_AGENT);
    expect(usableTags('instagram', { humanAgentTag: true })).toEqual(HUMAN_AGENT);
    expect(usableTags('messenger', {})).toEqual([]);
    expect(usableTags('messenger', { humanAgentTag: 'yes' })).toEqual([]);
    expect(usableTags('whatsapp', { humanAgentTag: true })).toEqual([]);
    expect(usableTags('no-such-type', {})).toEqual([]);
  });

  it('inside 24 hours: a standard reply; 24 h to 7 days: only an operator’s reply, with the tag; after: nothing', () => {
    const at = (now: number) => windowState('messenger', DAY, T0, now, undefined, HUMAN_AGENT);
    const inside = at(T0 + DAY - 1);
    expect(inside).toMatchObject({ open: true, reason: 'open', tag: null });
    expect(tagFor(inside, 'reply')).toBeNull();

    const tagged = at(T0 + DAY);
    expect(tagged).toMatchObject({
      open: false,
      reason: 'expired',
      tag: { name: 'HUMAN_AGENT', closesAt: T0 + 7 * DAY },
    });
    expect(sendAllowed(tagged, 'reply')).toBe(true);
    expect(tagFor(tagged, 'reply')).toBe('HUMAN_AGENT');
    for (const path of ['automatic', 'broadcast', 'api', 'template'] as const) {
      expect(sendAllowed(tagged, path)).toBe(false);
      expect(tagFor(tagged, path)).toBeNull();
    }

    expect(at(T0 + 7 * DAY - 1).tag).not.toBeNull();
    const over = at(T0 + 7 * DAY);
    expect(over.tag).toBeNull();
    expect(sendAllowed(over, 'reply')).toBe(false);
  });

  it('without the tag enabled, or for an opted-out contact, the closed window stays closed', () => {
    expect(windowState('messenger', DAY, T0, T0 + 2 * DAY).tag).toBeNull();
    const optedOut = windowState(
      'messenger',
      DAY,
      T0,
      T0 + 2 * DAY,
      { optedOut: true, optedIn: false },
      HUMAN_AGENT,
    );
    expect(optedOut).toMatchObject({ reason: 'opted_out', tag: null });
    expect(sendAllowed(optedOut, 'reply')).toBe(false);
    expect(openTag(HUMAN_AGENT, null, T0)).toBeNull();
  });
});
