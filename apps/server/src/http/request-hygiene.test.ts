import { beforeEach, describe, expect, it } from 'vitest';
import { useBareApp } from '../../test/bare-app.ts';
import { useTestApp } from '../../test/use-test-app.ts';
import { testDialects } from '../../test/test-db.ts';
import { signApiBody } from '../modules/channels/api/api-signature.ts';
import { jsonTooDeep, looksLikeJson } from './json-depth.ts';

const dialects = await testDialects();

const nested = (levels: number, leaf = '1') => '['.repeat(levels) + leaf + ']'.repeat(levels);

describe('jsonTooDeep', () => {
  it('counts object and array nesting, not brackets inside strings', () => {
    expect(jsonTooDeep(nested(64))).toBe(false);
    expect(jsonTooDeep(nested(65))).toBe(true);
    expect(jsonTooDeep(`{"a":${nested(63)}}`)).toBe(false);
    expect(jsonTooDeep(`{"a":${nested(64)}}`)).toBe(true);
    expect(jsonTooDeep(JSON.stringify({ text: '[[[[['.repeat(100), q: 'a\\"[[[["' }))).toBe(false);
    expect(jsonTooDeep(Buffer.from(nested(100_000)))).toBe(true);
    expect(looksLikeJson(Buffer.from('  \n{"a":1}'))).toBe(true);
    expect(looksLikeJson(Buffer.from('Body=%5B%5B'))).toBe(false);
  });
});

/** Refused while the body is parsed, before any session or row is read: the bare app, no migrations. */
describe('request hygiene before the database', () => {
  const bare = useBareApp({ env: { BODY_LIMIT: '200000' } });
  const post = (method: string, url: string, raw: string) =>
    bare.app.inject({
      method: method as 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: raw,
    });

  it('documents the dead-event routes and payload_too_deep in the OpenAPI description', async () => {
    const doc = (await bare.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/dead-events',
      '/api/v1/dead-events/{id}',
      '/api/v1/dead-events/{id}/retry',
      '/api/v1/dead-events/{id}/discard',
    ])
      expect(doc.paths[path], path).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/v1/dead-events'].get.responses['400'])).toContain(
      'payload_too_deep',
    );
  });

  it('a deeply nested or oversized API body is refused with a stable code, never a 500', async () => {
    const conv = await post('PATCH', '/api/v1/contacts/nope', `{"attributes":{"a":${nested(10_000)}}}`);
    expect(conv.statusCode, conv.body).toBe(400);
    expect(conv.json().error.code).toBe('payload_too_deep');
    const big = await post(
      'POST',
      '/api/v1/templates',
      JSON.stringify({ name: 'x', text: 'y'.repeat(250_000) }),
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
  });
});

describe.each(dialects)('request hygiene (%s)', (dialect) => {
  const t = useTestApp(dialect, { env: { BODY_LIMIT: '200000' } });
  let channelId: string;
  let secret: string;
  beforeEach(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop backend' });
    channelId = res.json().id;
    secret = res.json().connection.secret;
  });

  const webhook = (raw: string) =>
    t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': signApiBody(secret, raw) },
      payload: raw,
    });

  it('a webhook nested thousands of levels deep is a 400 payload_too_deep, and nothing is stored', async () => {
    const body = `{"eventId":"e1","contact":{"externalId":"c1"},"message":{"externalId":"m1","text":"hi","x":${nested(5000)}}}`;
    const res = await webhook(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'payload_too_deep' });
    expect(res.json().error.message).toMatch(/64 levels/);
    expect(await t.count('inbound_events')).toBe(0);
    // Moderate nesting in a field the schema ignores still goes through.
    const ok = await webhook(
      `{"eventId":"e2","contact":{"externalId":"c1"},"message":{"externalId":"m2","text":"hi","x":${nested(20)}}}`,
    );
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a webhook body over the size limit is a 413 body_too_large', async () => {
    const res = await webhook(JSON.stringify({ eventId: 'e1', pad: 'x'.repeat(250_000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
    expect(await t.count('inbound_events')).toBe(0);
  });

  it('text with NUL and lone surrogates from the API is stored cleaned (names, notes, labels, templates, replies)', async () => {
    // A customer writes in; the operator works on the contact and the conversation.
    const raw = JSON.stringify({
      eventId: 'e1',
      contact: { externalId: 'c1', name: 'Mary' },
      message: { externalId: 'm1', text: 'hello' },
    });
    expect((await webhook(raw)).statusCode).toBe(200);
    await t.drainJobs();
    const [conv] = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items;
    const contactId = conv.contact.id;

    const name = await t.as(t.admin, 'PATCH', `/api/v1/contacts/${contactId}`, {
      name: 'Ma\u0000ry \uD800',
      attributes: { 'ti\u0000er': 'go\u0000ld' },
    });
    expect(name.statusCode, name.body).toBe(200);
    expect(name.json()).toMatchObject({ name: 'Mary \uFFFD', attributes: { tier: 'gold' } });
    const note = await t.as(t.admin, 'POST', `/api/v1/contacts/${contactId}/notes`, {
      text: 'VIP\u0000 customer',
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json().text).toBe('VIP customer');
    const label = await t.as(t.admin, 'POST', `/api/v1/contacts/${contactId}/labels`, { label: 'v\u0000ip' });
    expect(label.statusCode, label.body).toBe(200);
    expect(label.json().labels).toContain('vip');
    const tpl = await t.as(t.admin, 'POST', '/api/v1/templates', {
      name: 'Gr\u0000eeting',
      shortcut: 'hi',
      text: 'Hello\u0000 {{contact.name}}',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect(tpl.json()).toMatchObject({ name: 'Greeting', text: 'Hello {{contact.name}}' });
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'On\u0000 its way',
      clientMessageId: 'r\u0000-1',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    expect(reply.json().text).toBe('On its way');
    const privateNote = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'inter\u0000nal',
      private: true,
      clientMessageId: 'n-1',
    });
    expect(privateNote.statusCode, privateNote.body).toBe(201);
    // Query strings and path parameters too: a NUL in a search is not a 500 on PostgreSQL.
    const search = await t.as(t.admin, 'GET', '/api/v1/contacts?q=Ma%00ry');
    expect(search.statusCode, search.body).toBe(200);
    const missing = await t.as(t.admin, 'GET', '/api/v1/contacts/abc%00def');
    expect(missing.statusCode).toBe(404);
  });
});
