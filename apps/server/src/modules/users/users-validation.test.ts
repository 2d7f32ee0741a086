import { describe, expect, it } from 'vitest';
import { useBareApp } from '../../../test/bare-app.ts';

const PASSWORD = 'operator password 1';

/** Refused by the body's schema, before the session or any row is read: the bare app, no migrations. */
describe('Users API input', () => {
  const t = useBareApp();

  it('answers bad input with 400 validation_error', async () => {
    for (const body of [
      { email: 'not-an-email', password: PASSWORD, role: 'operator' },
      { email: 'a@example.com', password: PASSWORD, role: 'owner' },
      { email: 'a@example.com', password: PASSWORD, role: 'operator', capacity: -1 },
      { email: 'a@example.com', role: 'operator' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });
});
