import { describe, expect, it } from 'vitest';
import { seedUser } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();

const refunds = {
  name: 'Refunds',
  event: 'message.created',
  match: 'all',
  conditions: [{ field: 'message.text', op: 'contains_any', value: ['возврат', 'refund'] }],
  actions: [
    { type: 'add_label', label: 'refund' },
    { type: 'set_priority', priority: 'high' },
  ],
};

describe.each(dialects)('automation rules API (%s)', (dialect) => {
  const t = useTestApp(dialect, { per: 'suite' });

  const post = (body: unknown) => t.as(t.admin, 'POST', '/api/v1/automation-rules', body);

  it('creates, reads, replaces, disables, enables, orders and deletes rules', async () => {
    const a = await post(refunds);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ ...refunds, enabled: true, position: 1, delayMinutes: null });
    expect(a.json().webhookSecret).toMatch(/^.{20,}$/);
    const b = await post({
      name: 'Close silent',
      event: 'conversation.no_customer_reply',
      delayMinutes: 3 * 24 * 60,
      actions: [{ type: 'set_status', status: 'resolved' }],
    });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json()).toMatchObject({ match: 'all', conditions: [], position: 2, delayMinutes: 4320 });

    const id = a.json().id as string;
    const put = await t.as(t.admin, 'PUT', `/api/v1/automation-rules/${id}`, {
      ...refunds,
      name: 'Refunds v2',
      match: 'any',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ name: 'Refunds v2', match: 'any', position: 1 });

    const off = await t.as(t.admin, 'POST', `/api/v1/automation-rules/${id}/disable`);
    expect(off.json().enabled).toBe(false);
    const on = await t.as(t.admin, 'POST', `/api/v1/automation-rules/${id}/enable`);
    expect(on.json().enabled).toBe(true);

    const order = await t.as(t.admin, 'PUT', '/api/v1/automation-rules/order', { ids: [b.json().id, id] });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json().items.map((r: { name: string }) => r.name)).toEqual(['Close silent', 'Refunds v2']);

    const list = await t.as(t.admin, 'GET', '/api/v1/automation-rules');
    expect(list.json().items.map((r: { position: number }) => r.position)).toEqual([1, 2]);
    const runs = await t.as(t.admin, 'GET', `/api/v1/automation-rules/${id}/executions`);
    expect(runs.json()).toEqual({ items: [], nextCursor: null });

    expect((await t.as(t.admin, 'DELETE', `/api/v1/automation-rules/${id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/automation-rules/${id}`)).statusCode).toBe(404);
    await t.as(t.admin, 'DELETE', `/api/v1/automation-rules/${b.json().id}`);
  });

  it('answers bad rules with validation_error and the place of the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...refunds, event: 'message.deleted' }, /event/],
      [{ ...refunds, match: 'some' }, /match/],
      [{ ...refunds, actions: [] }, /actions/],
      [{ ...refunds, actions: [{ type: 'explode' }] }, /actions/],
      [{ ...refunds, actions: [{ type: 'set_priority', priority: 'asap' }] }, /priority/],
      [{ ...refunds, conditions: [{ field: 'message.text', op: 'in', value: ['x'] }] }, /does not apply/],
      [
        { ...refunds, conditions: [{ field: 'message.text', op: 'matches_regex', value: '([a-' }] },
        /regular expression/,
      ],
      [
        { ...refunds, conditions: [{ field: 'conversation.priority', op: 'in', value: ['asap'] }] },
        /not a value/,
      ],
      [{ ...refunds, conditions: [{ field: 'colour', op: 'is', value: 'red' }] }, /unknown field/],
      [{ ...refunds, event: 'conversation.pending_for' }, /delayMinutes/],
      [{ ...refunds, delayMinutes: 5 }, /delayMinutes/],
      [{ ...refunds, actions: [{ type: 'assign_team', teamId: 'no-such-team' }] }, /teamId: no such team/],
      [{ ...refunds, actions: [{ type: 'assign_operator', userId: 'nobody' }] }, /userId: no active user/],
      [{ ...refunds, conditions: [{ field: 'channel.id', op: 'in', value: ['nope'] }] }, /no channel nope/],
      [{ ...refunds, actions: [{ type: 'send_webhook', url: 'not a url' }] }, /url/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
      expect(JSON.stringify(res.json().error), JSON.stringify(body)).toMatch(message);
    }
    const order = await t.as(t.admin, 'PUT', '/api/v1/automation-rules/order', { ids: ['x'] });
    expect(order.statusCode).toBe(400);
    expect(order.json().error.code).toBe('validation_error');
  });

  it('lets only admins change rules, and supervisors read them', async () => {
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    await seedUser(t.ctx, t.admin.accountId, 'sup@example.com', 'supervisor', 'supervisor-password');
    const op = await t.login('op@example.com', 'operator-password');
    const sup = await t.login('sup@example.com', 'supervisor-password');
    expect((await t.as(op, 'POST', '/api/v1/automation-rules', refunds)).json().error.code).toBe('forbidden');
    expect((await t.as(op, 'GET', '/api/v1/automation-rules')).statusCode).toBe(403);
    expect((await t.as(sup, 'GET', '/api/v1/automation-rules')).statusCode).toBe(200);
    expect((await t.as(sup, 'POST', '/api/v1/automation-rules', refunds)).statusCode).toBe(403);
  });

  it('documents every event, field, operator and action type in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const create = doc.paths['/api/v1/automation-rules'].post;
    for (const name of [
      'message.created',
      'conversation.waiting_for_reply',
      'message.text',
      'contact.attributes.*',
      'business_hours',
      'contains_any',
      'matches_regex',
      'has_none',
      'add_label',
      'send_template',
      'send_webhook',
      'mute',
    ])
      expect(create.description).toContain(`\`${name}\``);
    expect(doc.paths['/api/v1/automation-rules/{id}/executions'].get).toBeDefined();
    expect(doc.paths['/api/v1/automation-rules/order'].put).toBeDefined();
  });
});
