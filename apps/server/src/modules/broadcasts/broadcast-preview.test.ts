import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { seedUser } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import {
  type ApiChannel,
  conversationOf,
  createApiChannel,
  postInbound,
} from '../routing/routing-test-kit.ts';
import { previewOutcomes } from './broadcast-preview.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

describe.each(await testDialects())('broadcast preview (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callbacks.url }) });
  const callbacks = useCallbackServer();

  async function customer(id: string, at: number, on: ApiChannel = t.channel): Promise<string> {
    await postInbound(t, on, id, 'Hello', at);
    await t.drainJobs();
    return ((await conversationOf(t, id)).contact as { id: string }).id;
  }
  const preview = (body: unknown) => t.as(t.admin, 'POST', '/api/v1/broadcasts/preview', body);
  const label = async (id: string, l: string) =>
    expect((await t.as(t.admin, 'POST', `/api/v1/contacts/${id}/labels`, { label: l })).statusCode).toBe(200);

  it('counts the audience once and estimates each outcome as the job would decide it, sending nothing', async () => {
    const now = T0 + 10 * DAY;
    const fresh = await customer('fresh', now - HOUR);
    const old = await customer('old', now - 9 * DAY);
    const optedOut = await customer('opted-out', now - HOUR);
    const optedIn = await customer('opted-in', now - 9 * DAY);
    const other = await createApiChannel(t, { name: 'Other shop' });
    const elsewhere = await customer('elsewhere', now - HOUR, other);
    t.clock.set(now);
    const consent = (id: string, optIn: boolean) =>
      t.as(t.admin, 'PUT', `/api/v1/contacts/${id}/consent`, { optIn, source: 'test' });
    expect((await consent(optedOut, false)).statusCode).toBe(200);
    expect((await consent(optedIn, true)).statusCode).toBe(200);
    for (const id of [fresh, old, optedOut]) await label(id, 'VIP');

    // Label and ids together: `fresh` is in both and counts once.
    const res = await preview({
      channelId: t.channel.id,
      label: 'VIP',
      contactIds: [fresh, optedIn, elsewhere, elsewhere],
    });
    expect(res.statusCode, res.body).toBe(200);
    const estimate = { total: 5, queued: 2, windowClosed: 1, optedOut: 1, noIdentity: 1 };
    expect(res.json()).toEqual(estimate);
    expect(await t.ctx.db.kysely.selectFrom('broadcasts').select('id').execute()).toEqual([]);
    expect(callbacks.received).toHaveLength(0);

    // The real broadcast, sent now, decides the same.
    const sent = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      label: 'VIP',
      contactIds: [fresh, optedIn, elsewhere],
      text: 'Hello VIPs',
    });
    expect(sent.statusCode, sent.body).toBe(202);
    await t.drainJobs();
    const done = (await t.as(t.admin, 'GET', `/api/v1/broadcasts/${sent.json().id}`)).json();
    expect(done.counts).toMatchObject(estimate);
    expect(callbacks.received).toHaveLength(2);

    // A label nobody has is an empty audience here (sending it is refused).
    expect((await preview({ channelId: t.channel.id, label: 'nobody' })).json()).toEqual({
      total: 0,
      queued: 0,
      windowClosed: 0,
      optedOut: 0,
      noIdentity: 0,
    });
  });

  it('a template passes a closed WhatsApp window; text does not', async () => {
    const now = T0 + 2 * DAY;
    const id = await customer('wa', T0);
    const row = await t.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', t.channel.id)
      .executeTakeFirstOrThrow();
    // The same addresses and conversations, judged by WhatsApp's 24-hour window.
    const wa = { ...row, type: 'whatsapp' };
    const k = t.ctx.db.kysely;
    expect(await previewOutcomes(k, wa, [id], 'text', now)).toMatchObject({ queued: 0, windowClosed: 1 });
    expect(await previewOutcomes(k, wa, [id], 'template', now)).toMatchObject({ queued: 1, windowClosed: 0 });
    expect(await previewOutcomes(k, wa, [id], 'text', T0 + HOUR)).toMatchObject({ queued: 1 });
  });

  it('names the failing field, refuses operators and other accounts', async () => {
    const id = await customer('c1', T0);
    const unknown = await preview({ channelId: t.channel.id, contactIds: [id, 'nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'validation_error',
      details: [{ path: 'body.contactIds', message: 'unknown: nope' }],
    });
    const none = await preview({ channelId: t.channel.id });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('validation_error');
    const tpl = await preview({ channelId: t.channel.id, contactIds: [id], kind: 'template' });
    expect(tpl.statusCode).toBe(400);
    expect(tpl.json().error.details).toEqual([expect.objectContaining({ path: 'body.template' })]);
    expect((await preview({ channelId: 'nope', contactIds: [id] })).statusCode).toBe(404);

    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const forbidden = await t.as(op, 'POST', '/api/v1/broadcasts/preview', {
      channelId: t.channel.id,
      contactIds: [id],
    });
    expect(forbidden.statusCode).toBe(403);

    const { createAccountWithAdmin } = await import('../accounts/account.service.ts');
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Other',
      email: 'other@example.com',
      password: 'other-password-1',
      name: 'Other Admin',
    });
    const stranger = await t.login('other@example.com', 'other-password-1');
    const cross = await t.as(stranger, 'POST', '/api/v1/broadcasts/preview', {
      channelId: t.channel.id,
      contactIds: [id],
    });
    expect(cross.statusCode).toBe(404);

    // Sending to a label nobody has names the label field.
    const empty = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      label: 'nobody',
      text: 'Hi',
    });
    expect(empty.json().error).toMatchObject({
      code: 'validation_error',
      details: [{ path: 'body.label', message: 'no contact has this label' }],
    });
  });
});
