import { beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedTeam } from '../../../../test/seed.ts';
import type { Session } from '../../../../test/test-app.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { createAccountWithAdmin } from '../../accounts/account.service.ts';
import { addOperator, createApiChannel } from '../routing-test-kit.ts';

const dialects = await testDialects();
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
const office = {
  name: 'Office',
  timeZone: 'Europe/Moscow',
  weekly: { mon: [{ from: '09:00', to: '18:00' }] },
  exceptions: [{ date: '2026-01-12', intervals: [], note: 'Closed' }],
};

describe.each(dialects)('routing API (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0 });
  let operator: Session;
  let stranger: Session;

  beforeEach(async () => {
    operator = await addOperator(t, 'Anna');
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Other Co',
      email: 'other@example.com',
      password: 'other-password',
    });
    stranger = await t.login('other@example.com', 'other-password');
  });

  it('schedules: admins write, everyone reads, bad input is a 400, other accounts get 404', async () => {
    expect((await t.as(operator, 'POST', '/api/v1/schedules', office)).statusCode).toBe(403);
    const created = await t.as(t.admin, 'POST', '/api/v1/schedules', office);
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({ ...office, weekly: { mon: office.weekly.mon, tue: [], sun: [] } });

    const list = (await t.as(operator, 'GET', '/api/v1/schedules')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([s.id]);
    const status = (await t.as(operator, 'GET', `/api/v1/schedules/${s.id}/status`)).json();
    expect(status).toEqual({ at: T0, open: true, nextOpenAt: T0 });
    // The following Monday is a holiday: from Monday evening the next opening is a fortnight later.
    const later = (
      await t.as(operator, 'GET', `/api/v1/schedules/${s.id}/status?at=${T0 + 9 * 3_600_000}`)
    ).json();
    expect(later).toEqual({ at: T0 + 9 * 3_600_000, open: false, nextOpenAt: Date.UTC(2026, 0, 19, 6, 0) });

    for (const bad of [
      { ...office, timeZone: 'Mars/Base' },
      { ...office, weekly: { mon: [{ from: '10:00', to: '09:00' }] } },
      { ...office, weekly: { mon: [{ from: '9:00', to: '18:00' }] } },
      { ...office, weekly: { funday: [] } },
      { ...office, exceptions: [office.exceptions[0], office.exceptions[0]] },
      { ...office, name: '' },
    ]) {
      const r = await t.as(t.admin, 'POST', '/api/v1/schedules', bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().error.code).toBe('validation_error');
    }

    const put = await t.as(t.admin, 'PUT', `/api/v1/schedules/${s.id}`, { ...office, name: 'Renamed' });
    expect(put.json().name).toBe('Renamed');
    for (const [method, url] of [
      ['GET', `/api/v1/schedules/${s.id}`],
      ['GET', `/api/v1/schedules/${s.id}/status`],
      ['PUT', `/api/v1/schedules/${s.id}`],
      ['DELETE', `/api/v1/schedules/${s.id}`],
    ] as const) {
      const r = await t.as(stranger, method, url, method === 'PUT' ? office : undefined);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await t.as(stranger, 'GET', '/api/v1/schedules')).json().items).toEqual([]);

    // In use by a channel: refused until the channel lets go.
    const ch = await createApiChannel(t);
    await t.as(t.admin, 'PUT', `/api/v1/channels/${ch.id}/routing`, { scheduleId: s.id });
    const inUse = await t.as(t.admin, 'DELETE', `/api/v1/schedules/${s.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.details).toEqual({ channelIds: [ch.id] });
    await t.as(t.admin, 'PUT', `/api/v1/channels/${ch.id}/routing`, {});
    expect((await t.as(t.admin, 'DELETE', `/api/v1/schedules/${s.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/schedules/${s.id}`)).statusCode).toBe(404);
  });

  it('channel routing: everyone reads, admins write, scoped to the account', async () => {
    const ch = await createApiChannel(t);
    expect((await t.as(operator, 'GET', `/api/v1/channels/${ch.id}/routing`)).statusCode).toBe(200);
    expect((await t.as(operator, 'PUT', `/api/v1/channels/${ch.id}/routing`, {})).statusCode).toBe(403);
    expect((await t.as(stranger, 'GET', `/api/v1/channels/${ch.id}/routing`)).statusCode).toBe(404);
    const theirs = (await t.as(stranger, 'POST', '/api/v1/schedules', office)).json().id;
    const foreign = await t.as(t.admin, 'PUT', `/api/v1/channels/${ch.id}/routing`, { scheduleId: theirs });
    expect(foreign.statusCode).toBe(400);
    // Named like a schema failure, so the console marks the field.
    expect(foreign.json().error.details).toEqual([
      { path: 'body.scheduleId', message: 'no such schedule in this account' },
    ]);
    const badMode = await t.as(t.admin, 'PUT', `/api/v1/channels/${ch.id}/routing`, {
      assignment: { mode: 'lottery' },
    });
    expect(badMode.json().error.code).toBe('validation_error');
    const ok = await t.as(t.admin, 'PUT', `/api/v1/channels/${ch.id}/routing`, {
      language: 'ru',
      assignment: { mode: 'least_loaded', noReplyReassignMinutes: 15 },
    });
    expect(ok.json()).toMatchObject({
      language: 'ru',
      assignment: { mode: 'least_loaded', sticky: true, reassignOnOffline: true, noReplyReassignMinutes: 15 },
      // What the console needs to build the form: which variables texts may use, which windows are allowed.
      templateVariables: ['next_open_time', 'contact.name', 'channel.name'],
      windowUnlimitedAllowed: false,
    });
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', ch.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('channel.routing_updated');
  });

  it('center status: admins force it, others read it', async () => {
    expect((await t.as(operator, 'POST', '/api/v1/center/status', { mode: 'offline' })).statusCode).toBe(403);
    expect((await t.as(t.admin, 'POST', '/api/v1/center/status', { mode: 'closed' })).statusCode).toBe(400);
    expect((await t.as(t.admin, 'POST', '/api/v1/center/status', { mode: 'offline' })).json().mode).toBe(
      'offline',
    );
    expect((await t.as(operator, 'GET', '/api/v1/center/status')).json().mode).toBe('offline');
    // Another account's center is its own.
    expect((await t.as(stranger, 'GET', '/api/v1/center/status')).json().mode).toBe('auto');
  });

  it('window, refused sends and queue respect accounts, roles and teams', async () => {
    const support = await seedTeam(t.ctx, t.admin.accountId, 'Support', []);
    const {
      conversationIds: [open],
    } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const {
      conversationIds: [hidden],
    } = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId: support });
    expect((await t.as(operator, 'GET', `/api/v1/conversations/${open}/window`)).statusCode).toBe(200);
    expect((await t.as(operator, 'GET', `/api/v1/conversations/${hidden}/window`)).statusCode).toBe(404);
    expect((await t.as(stranger, 'GET', `/api/v1/conversations/${open}/window`)).statusCode).toBe(404);
    expect((await t.as(operator, 'GET', '/api/v1/refused-sends')).statusCode).toBe(403);
    expect((await t.as(stranger, 'GET', '/api/v1/refused-sends')).json().items).toEqual([]);
    const mine = (await t.as(operator, 'GET', '/api/v1/queue')).json().items.map((c: { id: string }) => c.id);
    expect(mine).toEqual([open]);
    const all = (await t.as(t.admin, 'GET', '/api/v1/queue')).json().items.map((c: { id: string }) => c.id);
    expect(all).toEqual([open, hidden]);
    expect((await t.as(stranger, 'GET', '/api/v1/queue')).json().items).toEqual([]);
  });

  it('documents every routing route in OpenAPI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/schedules',
      '/api/v1/schedules/{id}',
      '/api/v1/schedules/{id}/status',
      '/api/v1/channels/{id}/routing',
      '/api/v1/center/status',
      '/api/v1/center/channels/{id}',
      '/api/v1/conversations/{id}/window',
      '/api/v1/refused-sends',
      '/api/v1/queue',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });
});
