import { describe, expect, it } from 'vitest';
import { useBareApp } from '../../../test/bare-app.ts';

/** Refused by the body's schema, before the session or any row is read: the bare app, no migrations. */
describe('Teams API input', () => {
  const t = useBareApp();

  it('validates input (400)', async () => {
    for (const body of [{}, { name: '  ' }, { name: 'x'.repeat(101) }, { name: 'ok', memberIds: 'nope' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/teams', payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });
});
