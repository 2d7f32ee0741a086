import { describe, expect, it } from 'vitest';
import { useBareApp } from '../../../test/bare-app.ts';

/** Refused by the body's schema, before the session or any row is read: the bare app, no migrations. */
describe('Saved views API input', () => {
  const t = useBareApp();

  it('refuses bad input with a validation error', async () => {
    const bad = async (body: unknown) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/views', payload: body as object });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', message: expect.any(String) });
    };
    await bad({ name: '', filters: {} });
    await bad({ name: 'x', filters: { sort: 'loudest' } });
    await bad({ name: 'x', filters: { slaState: 'late' } });
    await bad({ name: 'x', filters: { attribute: ['no-colon'] } });
    await bad({ name: 'x', filters: { colour: 'red' } });
  });
});
