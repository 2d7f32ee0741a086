import { describe, expect, it } from 'vitest';
import { formatWaiting, waitingLevel } from './waiting.ts';

describe('waiting time', () => {
  it('says a wait in its largest whole unit, in both languages', () => {
    expect(formatWaiting('en', 20_000, 'short')).toBe('1 min');
    expect(formatWaiting('en', 7 * 60_000 + 59_000, 'long')).toBe('7 minutes');
    expect(formatWaiting('en', 3 * 3_600_000 + 5, 'short')).toBe('3 hrs');
    expect(formatWaiting('en', 2 * 86_400_000, 'long')).toBe('2 days');
    expect(formatWaiting('ru', 5 * 60_000, 'short')).toBe('5 мин');
    expect(formatWaiting('ru', 2 * 3_600_000, 'long')).toBe('2 часа');
    expect(formatWaiting('ru', 21 * 86_400_000, 'long')).toBe('21 день');
  });

  it('grades a wait: fresh under 15 minutes, long under an hour, then overdue', () => {
    expect(waitingLevel(14 * 60_000)).toBe('fresh');
    expect(waitingLevel(15 * 60_000)).toBe('long');
    expect(waitingLevel(3_600_000)).toBe('overdue');
  });
});
