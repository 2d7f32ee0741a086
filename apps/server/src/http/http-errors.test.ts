import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBareApp } from '../../test/bare-app.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

/** Decided before any handler reads the database: the bare app, no migrations. */
describe('HTTP error catalogue', () => {
  const t = useBareApp({
    env: { BODY_LIMIT: '4096' },
    // A route that fails unexpectedly, to prove internals never reach the client.
    beforeReady: (app) => {
      app.get('/api/boom', { config: { public: true } }, async () => {
        throw new Error('secret internal detail');
      });
      app.get('/api/db-down', { config: { public: true } }, async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      });
      // What pg throws, without a code, for a client whose server went away mid-restart.
      app.get('/api/db-restarting', { config: { public: true } }, async () => {
        throw new Error('Client has encountered a connection error and is not queryable');
      });
    },
  });

  it('answers unknown routes with not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/nope' } });
  });

  it('answers malformed JSON, wrong types, oversized and wrongly typed bodies with 4xx codes', async () => {
    const login = (payload: string, type = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': type }, payload });
    let res = await login('{"email": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
    res = await login(JSON.stringify({ email: 5, password: 'x' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_error');
    expect(res.json().error.message).toMatch(/email/);
    // Each issue names its field and carries the schema's code, so a client can word it itself.
    expect(res.json().error.details).toContainEqual(
      expect.objectContaining({ path: 'body.email', code: 'invalid_type', expected: 'string' }),
    );
    res = await login(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(5000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
    res = await login('email=a', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('needs credentials on the API and says so', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('hides unexpected errors behind internal_error with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers 503 with Retry-After while the database is unreachable, so providers retry', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/db-down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('service_unavailable');
    expect(res.body).not.toContain('5432');
    const restarting = await t.app.inject({ method: 'GET', url: '/api/db-restarting' });
    expect(restarting.statusCode).toBe(503);
  });

  // Schema validation runs before the session is looked up (auth is a preHandler): no session needed.
  it('validates query strings', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url });
    let res = await get('/api/v1/conversations?status=closed');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_error');
    res = await get('/api/v1/conversations?limit=100000');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ path: 'querystring.limit', code: 'too_big', maximum: 200, origin: 'number' }),
    ]);
    res = await get('/api/v1/conversations?status=closed');
    expect(res.json().error.details).toEqual([
      expect.objectContaining({
        path: 'querystring.status',
        code: 'invalid_value',
        values: expect.arrayContaining(['open']),
      }),
    ]);
  });

  it('publishes the OpenAPI description with the v1 routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/channels',
      '/api/v1/conversations',
      '/api/v1/conversations/{id}/messages',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });
});

/** What needs a session or a token lookup: the migrated test app. */
describe('HTTP error catalogue, signed in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses an unknown API token', async () => {
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer sbt_nope' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('validates cursors (decoded by the route, after the session)', async () => {
    const res = await t.as(t.admin, 'GET', '/api/v1/conversations?cursor=garbage');
    expect(res.statusCode).toBe(400);
  });
});
