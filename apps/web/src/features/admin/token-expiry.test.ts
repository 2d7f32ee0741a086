import { describe, expect, it } from 'vitest';
import { expiryOf } from './token-expiry.ts';

describe('token expiry choice', () => {
  const now = new Date(2026, 5, 10, 15, 30).getTime();

  it('maps never, 30 and 90 days onto expiresAt', () => {
    expect(expiryOf('never', '', now)).toBeNull();
    expect(expiryOf('30', '', now)).toBe(now + 30 * 86_400_000);
    expect(expiryOf('90', '2020-01-01', now)).toBe(now + 90 * 86_400_000);
  });

  it('keeps a token chosen "until a date" valid through that whole local day, and refuses past days', () => {
    expect(expiryOf('date', '2026-06-12', now)).toBe(new Date(2026, 5, 12, 23, 59, 59, 999).getTime());
    expect(expiryOf('date', '2026-06-10', now)).toBe(new Date(2026, 5, 10, 23, 59, 59, 999).getTime());
    expect(expiryOf('date', '2026-06-09', now)).toBeUndefined();
    expect(expiryOf('date', '', now)).toBeUndefined();
    expect(expiryOf('date', 'not a date', now)).toBeUndefined();
  });
});
