import { describe, expect, it } from 'vitest';
import { sentOutside, storyOf } from './meta-context.ts';

describe('Messenger and Instagram context', () => {
  it('names who wrote an outbound message outside Switchboard', () => {
    expect(sentOutside({ direction: 'out', meta: { sentOutside: { by: 'Page inbox' } } })).toBe('pageInbox');
    expect(sentOutside({ direction: 'out', meta: { sentOutside: { by: 'Instagram app' } } })).toBe(
      'instagramApp',
    );
    expect(sentOutside({ direction: 'out', meta: { sentOutside: { by: 'VK community' } } })).toBe(
      'vkCommunity',
    );
    expect(sentOutside({ direction: 'out', meta: { sentOutside: { by: 'Some bot' } } })).toBe('other');
    expect(sentOutside({ direction: 'out', meta: {} })).toBeNull();
    expect(sentOutside({ direction: 'in', meta: { sentOutside: { by: 'Page inbox' } } })).toBeNull();
  });

  it('reads the story, and never passes on a link that is not http(s)', () => {
    expect(storyOf({ meta: { story: { kind: 'reply', url: 'https://lookaside.fbsbx.com/s.jpg' } } })).toEqual(
      {
        kind: 'reply',
        url: 'https://lookaside.fbsbx.com/s.jpg',
      },
    );
    expect(storyOf({ meta: { story: { kind: 'mention', url: 'javascript:alert(1)' } } })).toEqual({
      kind: 'mention',
      url: null,
    });
    expect(storyOf({ meta: { story: { kind: 'other' } } })).toBeNull();
    expect(storyOf({ meta: {} })).toBeNull();
  });
});
