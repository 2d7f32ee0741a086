import { channelTypesResponseSchema } from '@switchboard/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterContract } from '../../src/modules/channels/adapter-contract.ts';
import { registerAdapter } from '../../src/modules/channels/channel-registry.ts';
import { useTestApp } from '../use-test-app.ts';
import { testDialects } from '../test-db.ts';
import { channelKit } from '../channel-kit.ts';
import { pigeonAdapter } from './pigeon.adapter.ts';
import { RING_KEY, pigeonKit } from './pigeon.fixtures.ts';

/**
 * An eighth channel that exists only in this folder, registered as channel-registry.ts would list it.
 * It passes the adapter contract suite, and everything that differs between channels — the type list,
 * its settings form, its window, consent scope and contact import — follows its declarations with no
 * change anywhere else. (Vitest isolates each test file, so the registration does not leak.)
 */
registerAdapter(pigeonAdapter);

adapterContract(pigeonKit);

const dialects = await testDialects();

describe.each(dialects)('a new channel needs nothing outside its folder and the registry (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now, per: 'suite' });
  let channelId: string;
  beforeAll(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', {
      type: 'pigeon',
      name: 'Loft 1234',
      settings: { loftId: 'L1234', ringKey: RING_KEY },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
  });

  it('is listed by /channel-types with its label, rules and settings form', async () => {
    const body = channelTypesResponseSchema.parse(
      (await t.as(t.admin, 'GET', '/api/v1/channel-types')).json(),
    );
    const pigeon = body.items.find((i) => i.type === 'pigeon')!;
    expect(pigeon.label).toEqual({ en: 'Carrier pigeon', ru: 'Почтовый голубь' });
    expect(pigeon.providerName).toBe('Pigeon Post');
    expect(pigeon.capabilities.window.tags).toEqual([
      { tag: 'URGENT', windowMs: 5 * 86_400_000, enabledBy: 'urgentTag' },
    ]);
    expect(pigeon.settingsForm.map((f) => [f.name, f.type, f.required])).toEqual([
      ['loftId', 'text', true],
      ['ringKey', 'secret', true],
      ['urgentTag', 'boolean', false],
      ['apiBaseUrl', 'url', false],
    ]);
    // The channel form's OpenAPI text is written from the registered adapters too.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // (the operation's description: the body schema itself is the shared contract, the same for every server)
    const create = doc.paths['/api/v1/channels'].post.description as string;
    expect(create).toContain('pigeon: {loftId, ringKey (secret), urgentTag?, apiBaseUrl?}');
  });

  it('gets its own window: the provider fixes it at 48 hours, no admin may change it', async () => {
    const r = (await t.as(t.admin, 'GET', `/api/v1/channels/${channelId}/routing`)).json();
    expect(r).toMatchObject({
      windowMs: 48 * 3_600_000,
      windowFixedByProvider: true,
      windowUnlimitedAllowed: false,
    });
    const put = await t.as(t.admin, 'PUT', `/api/v1/channels/${channelId}/routing`, {
      window: { unit: 'days', value: 7 },
    });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.message).toMatch(/Pigeon Post's window is fixed by the provider at 48 hours/);
  });

  it('a reply after its 48 hours is refused with window_closed, and an opt-in does not lift it', async () => {
    const h = channelKit(t);
    const raw = JSON.stringify({ note: { id: 'late-1', loft: 99, at: t.clock.now(), text: 'coo' } });
    const { hmacSha256Hex } = await import('../../src/infra/crypto/hmac.ts');
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/pigeon/${channelId}`,
      headers: { 'content-type': 'application/json', 'x-pigeon-signature': hmacSha256Hex(RING_KEY, raw) },
      payload: raw,
    });
    expect(res.statusCode).toBe(200);
    await t.drainJobs();
    const conv = (await h.conversations()).find((c) => c.channel.id === channelId)!;
    const optIn = await t.as(t.admin, 'PUT', `/api/v1/contacts/${conv.contact.id}/consent`, {
      scope: 'pigeon',
      optIn: true,
      source: 'asked at the loft',
    });
    expect(optIn.statusCode, optIn.body).toBeLessThan(300);
    t.clock.advance(48 * 3_600_000 + 1);
    const reply = await h.reply(conv.id, 'Seed is on its way');
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.code).toBe('window_closed');
    // Its consent scope is its own, as declared.
    const consent = (await t.as(t.admin, 'GET', `/api/v1/contacts/${conv.contact.id}/consent`)).json().items;
    expect(consent.map((c: { scope: string }) => c.scope)).toEqual(['pigeon']);
  });

  it('imports contacts by its declared addressing (loft numbers)', async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/contacts/import', {
      source: 'loft registry',
      channelId,
      contacts: [
        { name: 'Grey', externalId: ' 4712 ' },
        { name: 'Hawk', externalId: 'not-a-loft' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.created).toBe(1);
    expect(r.errors).toEqual([
      expect.objectContaining({
        row: 2,
        message: expect.stringContaining('is not a loft number (a number, e.g. 4711)'),
      }),
    ]);
  });
});
