import { describe, expect, it } from 'vitest';
import { ratingOfButton, ratingOfText } from './csat-answer.ts';

describe('CSAT answers', () => {
  it('reads digits, stars, faces and thumbs as documented', () => {
    const cases: Array<[string, number]> = [
      ['5', 5],
      [' 1 ', 1],
      ['4/5', 4],
      ['3 из 5', 3],
      ['5⭐', 5],
      ['⭐⭐⭐', 3],
      ['★★', 2],
      ['😀', 5],
      ['🙂', 4],
      ['😐', 3],
      ['🙁', 2],
      ['😡', 1],
      ['👍🏽', 5],
      ['👎', 1],
      ['☺️', 4],
      ['5!', 5],
    ];
    for (const [text, rating] of cases) expect(ratingOfText(text), text).toBe(rating);
  });

  it('takes nothing else for a rating: the whole message must be the answer', () => {
    for (const text of [
      '0',
      '6',
      '10',
      '5 minutes later',
      '1 more question',
      'ok',
      '⭐⭐⭐⭐⭐⭐',
      '😀😀',
      '',
      null,
    ])
      expect(ratingOfText(text), String(text)).toBeNull();
  });

  it('reads the rating buttons', () => {
    expect(ratingOfButton('csat:4')).toBe(4);
    expect(ratingOfButton('csat:9')).toBeNull();
    expect(ratingOfButton('other')).toBeNull();
  });
});
