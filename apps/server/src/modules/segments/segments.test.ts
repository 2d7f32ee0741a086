import { MAX_BROADCAST_CONTACTS } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { seedUser } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { createApiChannel, postInbound } from '../routing/routing-test-kit.ts';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const DAY = 86_400_000;

describe.each(await testDialects())('contact filters and segments (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: {} });

  const names = async (query: string, s: Session = t.admin) => {
    const res = await t.as(s, 'GET', `/api/v1/contacts?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { name: string }[]).map((c) => c.name).sort();
  };
  const idOf = async (name: string) =>
    (
      await t.ctx.db.kysely
        .selectFrom('contacts')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;

  /** Ada and Bo wrote in (open conversations); Cy was imported a day later on a second channel, opted out. */
  async function seed() {
    await postInbound(t, t.channel, 'ada', 'Hello', T0);
    await postInbound(t, t.channel, 'bo', 'Hello', T0);
    await t.drainJobs();
    for (const [ext, name] of [
      ['ada', 'Ada'],
      ['bo', 'Bo'],
    ] as const) {
      const c = await t.ctx.db.kysely
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('external_id', '=', ext)
        .executeTakeFirstOrThrow();
      await t.as(t.admin, 'PATCH', `/api/v1/contacts/${c.contact_id}`, {
        name,
        attributes: { tier: 'gold' },
      });
    }
    t.clock.set(T0 + DAY);
    const shop2 = await createApiChannel(t, { name: 'Second shop' });
    const imported = await t.as(t.admin, 'POST', '/api/v1/contacts/import', {
      source: 'test',
      channelId: shop2.id,
      contacts: [{ name: 'Cy', externalId: 'cy', labels: ['VIP'] }],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const cy = await idOf('Cy');
    const out = await t.as(t.admin, 'PUT', `/api/v1/contacts/${cy}/consent`, {
      optIn: false,
      source: 'test',
    });
    expect(out.statusCode, out.body).toBe(200);
    return { shop2 };
  }

  it('filters the contacts list by channel, channel type, conversation status, consent, creation time and attributes', async () => {
    const { shop2 } = await seed();
    expect(await names('')).toEqual(['Ada', 'Bo', 'Cy']);
    expect(await names(`channelId=${t.channel.id}`)).toEqual(['Ada', 'Bo']);
    expect(await names(`channelId=${shop2.id}`)).toEqual(['Cy']);
    expect(await names('channelType=api')).toEqual(['Ada', 'Bo', 'Cy']);
    expect(await names('channelType=telegram')).toEqual([]);
    expect(await names('conversationStatus=open')).toEqual(['Ada', 'Bo']);
    expect(await names('conversationStatus=resolved')).toEqual([]);
    expect(await names('consent=opted_out')).toEqual(['Cy']);
    expect(await names('consent=none')).toEqual(['Ada', 'Bo']);
    expect(await names(`createdFrom=${T0 + DAY}`)).toEqual(['Cy']);
    expect(await names(`createdTo=${T0 + DAY}`)).toEqual(['Ada', 'Bo']);
    expect(await names('attribute=tier:gold&q=bo')).toEqual(['Bo']);
    expect(await names('label=VIP&channelType=api')).toEqual(['Cy']);
    const bad = await t.as(t.admin, 'GET', '/api/v1/contacts?consent=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
  });

  it('saves, counts, lists, changes and deletes segments; audited; operators read only; other accounts see none', async () => {
    await seed();
    const created = await t.as(t.admin, 'POST', '/api/v1/segments', {
      name: 'Gold customers',
      filter: { attribute: 'tier:gold', conversationStatus: 'open' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const seg = created.json();
    expect(seg).toMatchObject({
      name: 'Gold customers',
      filter: { attribute: 'tier:gold', conversationStatus: 'open' },
      count: 2,
      createdBy: t.admin.userId,
    });
    const dup = await t.as(t.admin, 'POST', '/api/v1/segments', { name: 'Gold customers', filter: {} });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const badFilter = await t.as(t.admin, 'POST', '/api/v1/segments', {
      name: 'x',
      filter: { attribute: 'nokey' },
    });
    expect(badFilter.statusCode).toBe(400);

    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const list = await t.as(op, 'GET', '/api/v1/segments');
    expect(list.json().items.map((s: { name: string }) => s.name)).toEqual(['Gold customers']);
    expect(list.json().items[0]).not.toHaveProperty('count');
    expect((await t.as(op, 'GET', `/api/v1/segments/${seg.id}`)).json().count).toBe(2);
    const members = await t.as(op, 'GET', `/api/v1/segments/${seg.id}/contacts?limit=1`);
    expect(members.json().items).toHaveLength(1);
    expect(members.json().nextCursor).not.toBeNull();
    expect((await t.as(op, 'POST', '/api/v1/segments', { name: 'Mine', filter: {} })).statusCode).toBe(403);
    expect((await t.as(op, 'DELETE', `/api/v1/segments/${seg.id}`)).statusCode).toBe(403);

    const changed = await t.as(t.admin, 'PATCH', `/api/v1/segments/${seg.id}`, {
      name: 'Opted out',
      filter: { consent: 'opted_out' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Opted out', filter: { consent: 'opted_out' }, count: 1 });
    const renamed = await t.as(t.admin, 'PATCH', `/api/v1/segments/${seg.id}`, { name: 'Opted out (all)' });
    expect(renamed.json()).toMatchObject({ filter: { consent: 'opted_out' }, count: 1 });
    expect((await t.as(t.admin, 'PATCH', `/api/v1/segments/${seg.id}`, {})).statusCode).toBe(400);

    await createAccountWithAdmin(t.ctx, {
      accountName: 'Other',
      email: 'other@example.com',
      password: 'other-password-1',
      name: 'Other Admin',
    });
    const stranger = await t.login('other@example.com', 'other-password-1');
    expect((await t.as(stranger, 'GET', '/api/v1/segments')).json().items).toEqual([]);
    for (const [method, url, body] of [
      ['GET', `/api/v1/segments/${seg.id}`, undefined],
      ['GET', `/api/v1/segments/${seg.id}/contacts`, undefined],
      ['PATCH', `/api/v1/segments/${seg.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/v1/segments/${seg.id}`, undefined],
    ] as const) {
      const res = await t.as(stranger, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // The same name is free in another account.
    expect(
      (await t.as(stranger, 'POST', '/api/v1/segments', { name: 'Opted out (all)', filter: {} })).json()
        .count,
    ).toBe(0);

    expect((await t.as(t.admin, 'DELETE', `/api/v1/segments/${seg.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/segments/${seg.id}`)).statusCode).toBe(404);
    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', seg.id)
      .orderBy('created_at')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'segment.created',
      'segment.updated',
      'segment.updated',
      'segment.deleted',
    ]);
  });

  it('sends a broadcast to whoever a segment matches at send time; the preview counts it; limits are named', async () => {
    await seed();
    const seg = (
      await t.as(t.admin, 'POST', '/api/v1/segments', { name: 'Shop 1', filter: { channelId: t.channel.id } })
    ).json();
    const preview = await t.as(t.admin, 'POST', '/api/v1/broadcasts/preview', {
      channelId: t.channel.id,
      segmentId: seg.id,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ total: 2, queued: 2 });

    // A contact who writes in after the segment was saved is in it when the broadcast is sent.
    await postInbound(t, t.channel, 'dan', 'Hi', T0 + DAY);
    await t.drainJobs();
    const sent = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      segmentId: seg.id,
      label: 'VIP',
      text: 'Spring sale',
    });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().audience).toEqual({ label: 'VIP', segmentId: seg.id });
    expect(sent.json().counts.total).toBe(4);

    const unknown = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      segmentId: 'nope',
      text: 'x',
    });
    expect(unknown.statusCode).toBe(404);
    const empty = (
      await t.as(t.admin, 'POST', '/api/v1/segments', { name: 'Nobody', filter: { channelType: 'telegram' } })
    ).json();
    const none = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      segmentId: empty.id,
      text: 'x',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details).toEqual([
      { path: 'body.segmentId', message: 'no contact matches this segment' },
    ]);

    // More contacts than one broadcast may reach: refused, naming the segment.
    const rows = Array.from({ length: MAX_BROADCAST_CONTACTS + 1 }, (_, i) => ({
      id: `bulk-${String(i).padStart(6, '0')}`,
      account_id: t.admin.accountId,
      name: `Bulk ${i}`,
      attributes: '{"bulk":true}',
      created_at: T0,
      updated_at: T0,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.ctx.db.kysely
        .insertInto('contacts')
        .values(rows.slice(i, i + 500))
        .execute();
    const everyone = (
      await t.as(t.admin, 'POST', '/api/v1/segments', { name: 'Everyone', filter: {} })
    ).json();
    const tooMany = await t.as(t.admin, 'POST', '/api/v1/broadcasts/preview', {
      channelId: t.channel.id,
      segmentId: everyone.id,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.details[0].path).toBe('body.segmentId');
    expect(tooMany.json().error.message).toMatch(`at most ${MAX_BROADCAST_CONTACTS}`);
  });

  it('exports only the contacts a contact filter matches, with their attributes', async () => {
    await seed();
    const started = await t.as(t.admin, 'POST', '/api/v1/exports', {
      kind: 'contacts',
      format: 'csv',
      filter: { contacts: { attribute: 'tier:gold', q: 'ada' } },
    });
    expect(started.statusCode, started.body).toBe(202);
    await t.drainJobs();
    const done = (await t.as(t.admin, 'GET', `/api/v1/exports/${started.json().id}`)).json();
    expect(done).toMatchObject({
      status: 'done',
      rowsDone: 1,
      filter: { contacts: { attribute: 'tier:gold' } },
    });
    const file = await t.app.inject({
      method: 'GET',
      url: done.downloadUrl,
      headers: { cookie: t.admin.cookie },
    });
    const lines = file.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toMatch(/,attributes\.tier$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/,Ada,.*,gold$/)]);
  });
});
