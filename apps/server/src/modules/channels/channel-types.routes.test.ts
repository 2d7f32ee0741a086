import { channelTypesResponseSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../app-context.ts';
import { loadConfig } from '../../config.ts';
import { adapterFor, channelTypes } from './channel-registry.ts';
import { channelTypeDto } from './channel-types.routes.ts';

const dialects = await testDialects();

describe.each(dialects)('GET /api/v1/channel-types (%s)', (dialect) => {
  const t = useTestApp(dialect, { env: { MEDIA_MAX_BYTES: String(20 * 1024 * 1024) }, per: 'suite' });

  it('lists every registered type with its capabilities and settings form, in the shared shape', async () => {
    const res = await t.as(t.admin, 'GET', '/api/v1/channel-types');
    expect(res.statusCode).toBe(200);
    const body = channelTypesResponseSchema.parse(res.json());
    expect(body.items.map((i) => i.type)).toEqual(channelTypes());
    const byType = Object.fromEntries(body.items.map((i) => [i.type, i]));

    expect(byType.whatsapp!.capabilities.window).toMatchObject({
      providerWindowMs: 24 * 3_600_000,
      templates: true,
      optInLifts: false,
    });
    expect(byType.twilio_sms!.capabilities).toMatchObject({
      consentScope: 'sms',
      window: { defaultWindow: { unit: 'unlimited' }, unlimitedAllowed: true },
      addressing: { format: 'e164', importable: true, phone: true },
    });
    expect(byType.widget!.capabilities.addressing.importable).toBe(false);
    // Media limits are capped at this installation's MEDIA_MAX_BYTES.
    for (const item of body.items)
      for (const r of item.capabilities.outbound.media.rules)
        expect(r.maxBytes).toBeLessThanOrEqual(20 * 1024 * 1024);
  });

  it("generates each settings form from the adapter's schema: required, secret, options, labels", async () => {
    const body = channelTypesResponseSchema.parse(
      (await t.as(t.admin, 'GET', '/api/v1/channel-types')).json(),
    );
    const form = (type: string) => body.items.find((i) => i.type === type)!.settingsForm;
    const field = (type: string, name: string) => form(type).find((f) => f.name === name)!;

    expect(field('telegram', 'botToken')).toMatchObject({
      type: 'secret',
      secret: true,
      required: true,
      label: { en: 'Bot token (from @BotFather)', ru: 'Токен бота (от @BotFather)' },
    });
    expect(field('telegram', 'apiBaseUrl')).toMatchObject({ type: 'url', advanced: true, required: false });
    expect(field('twilio_sms', 'accountSid')).toMatchObject({ type: 'text', required: true, secret: false });
    expect(field('twilio_sms', 'keywordReplies')).toMatchObject({
      type: 'select',
      options: [
        { value: 'twilio', label: { en: expect.stringMatching(/^Twilio/) } },
        { value: 'switchboard', label: { ru: expect.stringMatching(/^Switchboard/) } },
      ],
    });
    expect(field('twilio_sms', 'fromNumber').help?.en).toMatch(/international format/);
    expect(field('twilio_sms', 'keywords').type).toBe('object');
    expect(field('widget', 'title').type).toBe('localized');
    expect(field('widget', 'allowedOrigins').type).toBe('list');
    expect(field('widget', 'requireIdentity')).toMatchObject({ type: 'boolean', default: false });
    expect(field('widget', 'color')).toMatchObject({ type: 'text', default: '#2563eb', required: false });
    // Every field of every type is labelled in both languages (no raw key shows in the form).
    for (const item of body.items)
      for (const f of item.settingsForm) {
        expect(f.label.en, `${item.type}.${f.name}`).not.toBe(f.name);
        expect(f.label.ru, `${item.type}.${f.name}`).not.toBe(f.name);
      }
  });

  it('is in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/channel-types'].get.responses['200']).toBeDefined();
  });

  it('needs a signed-in user', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/channel-types' })).statusCode).toBe(401);
  });
});

describe("the console's test fixture of channel types", () => {
  it('matches what the server declares for every type it holds (regenerate it when a type changes)', () => {
    const path = fileURLToPath(
      new URL('../../../../web/src/api/channel-types.fixture.json', import.meta.url),
    );
    const fixture = JSON.parse(readFileSync(path, 'utf8')) as {
      items: { type: string; settingsForm?: unknown }[];
    };
    // The fixture was written with the default MEDIA_MAX_BYTES.
    const ctx = { config: loadConfig({ SWITCHBOARD_SECRET: 'x'.repeat(32) }) } as AppContext;
    expect(fixture.items.length).toBeGreaterThan(0);
    // The forms are left out: console tests do not read them, and other fields may come and go.
    const rules = ({ settingsForm: _, ...rest }: { settingsForm?: unknown }) => rest;
    for (const f of fixture.items) expect(rules(channelTypeDto(ctx, adapterFor(f.type)))).toEqual(rules(f));
  });
});
