import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is a UUIDv7 and sorts in creation order, even within one millisecond', () => {
    const t = Date.UTC(2026, 10, 24);
    const ids = Array.from({ length: 5000 }, () => newId(t));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(t + 10_000) > ids[ids.length - 1]!).toBe(true);
  });
});
