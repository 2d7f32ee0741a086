import { describe, expect, it } from 'vitest';
import { insertMention, matchesName, mentionQuery, mentions, splitMentions } from './mentions.ts';

describe('mentions', () => {
  it('finds the @query being typed before the caret', () => {
    expect(mentionQuery('ask @an', 7)).toEqual({ start: 4, query: 'an' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('ask @Anna Sm', 12)).toEqual({ start: 4, query: 'Anna Sm' });
    expect(mentionQuery('mail me@example', 15)).toBeNull();
    expect(mentionQuery('no mention', 10)).toBeNull();
  });

  it('inserts the chosen name and moves the caret after it', () => {
    expect(insertMention('ask @an please', 4, 7, 'Anna Smith')).toEqual({
      text: 'ask @Anna Smith  please',
      caret: 16,
    });
  });

  it('matches names by the start of any of their words', () => {
    expect(matchesName('Anna Smith', 'sm')).toBe(true);
    expect(matchesName('Anna Smith', 'anna s')).toBe(true);
    expect(matchesName('Anna Smith', 'nna')).toBe(false);
  });

  it('recognises a mention only as a whole name', () => {
    expect(mentions('@Anna Smith can you check?', 'Anna Smith')).toBe(true);
    expect(mentions('thanks @Anna Smith.', 'Anna Smith')).toBe(true);
    expect(mentions('@Anna Smithson please', 'Anna Smith')).toBe(false);
    expect(mentions('me@Anna Smith', 'Anna Smith')).toBe(false);
  });

  it('splits text for highlighting, longest names first', () => {
    expect(splitMentions('hi @Anna Smith and @Bo!', ['Anna', 'Anna Smith', 'Bo'])).toEqual([
      { text: 'hi ', mention: false },
      { text: '@Anna Smith', mention: true },
      { text: ' and ', mention: false },
      { text: '@Bo', mention: true },
      { text: '!', mention: false },
    ]);
    expect(splitMentions('<b>@x</b>', ['x'])).toEqual([{ text: '<b>@x</b>', mention: false }]);
  });
});
