import { describe, expect, it } from 'vitest';
import { fillDays } from './mentions-days.ts';

describe('fillDays', () => {
  const zero = (day: string) => ({ day, n: 0 });
  it('lists every day of the period, with zeros where nothing was found, across a month end', () => {
    expect(fillDays('2026-01-30', '2026-02-02', [{ day: '2026-02-01', n: 3 }], zero)).toEqual([
      { day: '2026-01-30', n: 0 },
      { day: '2026-01-31', n: 0 },
      { day: '2026-02-01', n: 3 },
      { day: '2026-02-02', n: 0 },
    ]);
  });
  it('keeps a found day just outside the period (another time zone) in order', () => {
    expect(fillDays('2026-03-29', '2026-03-29', [{ day: '2026-03-30', n: 1 }], zero)).toEqual([
      { day: '2026-03-29', n: 0 },
      { day: '2026-03-30', n: 1 },
    ]);
  });
});
