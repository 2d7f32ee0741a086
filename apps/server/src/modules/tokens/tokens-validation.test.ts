import { describe, expect, it } from 'vitest';
import { useBareApp } from '../../../test/bare-app.ts';

/** Refused by the body's schema, before the session or any row is read: the bare app, no migrations. */
describe('API tokens input', () => {
  const t = useBareApp();

  it('rejects bad input', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: body });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });
});
