import { describe, expect, it } from 'vitest';
import { channelKit } from '../../../../test/channel-kit.ts';
import { seedChannel, seedUser } from '../../../../test/seed.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { TWILIO_SMS } from '../../channels/twilio/twilio.adapter.ts';
import type { InboundEvent } from '../../channels/channel-adapter.ts';
import { transact } from '../../events/unit-of-work.ts';
import { applyInboundEvent } from '../../inbound/inbound.service.ts';
import { type ApiChannel, createApiChannel } from '../../routing/routing-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('duplicate suggestions and automatic merging (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });
  let n = 0;

  /** A customer writing through the API channel's signed webhook with a phone and/or e-mail. */
  async function customer(ch: ApiChannel, externalId: string, c: { phone?: string; email?: string }) {
    n++;
    const res = await channelKit(t).apiWebhook(ch, {
      eventId: `evt-${n}`,
      contact: { externalId, name: externalId, ...c },
      message: { externalId: `msg-${n}`, text: 'hello' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    await t.drainJobs();
    return contactOf(ch.id, externalId);
  }

  async function contactOf(channelId: string, externalId: string): Promise<string> {
    const r = await t.ctx.db.kysely
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('channel_id', '=', channelId)
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    return r.contact_id;
  }

  /** A channel row of a provider type: the inbound path only looks at its type. */
  async function channelOfType(type: string) {
    const id = await seedChannel(t.ctx, t.admin.accountId, type);
    return t.ctx.db.kysely.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function inbound(
    channel: Awaited<ReturnType<typeof channelOfType>>,
    e: Partial<Extract<InboundEvent, { kind: 'message' }>> & { contact: { externalId: string } },
  ) {
    n++;
    const event: InboundEvent = {
      kind: 'message',
      providerMessageId: `p-${n}`,
      contentKind: 'text',
      text: 'hi',
      attachments: [],
      providerTs: null,
      ...e,
    };
    await transact(t.ctx, (uow) => applyInboundEvent(t.ctx, uow, channel, event));
  }

  const settings = async (body: unknown) => {
    const res = await t.as(t.admin, 'PUT', '/api/v1/contact-settings', body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('suggests contacts sharing a phone in E.164 (default country) or an e-mail, per contact and as a list', async () => {
    const shop = await createApiChannel(t, { name: 'Shop' });
    const anna1 = await customer(shop, 'a1', { phone: '+7 912 345-67-89' });
    const anna2 = await customer(shop, 'a2', { phone: '8 (912) 345 67 89', email: 'Anna@Example.com' });
    const anna3 = await customer(shop, 'a3', { email: ' anna@example.COM' });
    const bob = await customer(shop, 'b', { phone: '+7 912 000-00-00', email: 'bob@example.com' });

    // No default country: only numbers written with + compare.
    const before = await t.as(t.admin, 'GET', `/api/v1/contacts/${anna1}/duplicates`);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().items).toEqual([]);
    const byMail = (await t.as(t.admin, 'GET', `/api/v1/contacts/${anna2}/duplicates`)).json();
    expect(
      byMail.items.map((i: { contact: { id: string }; reasons: string[] }) => [i.contact.id, i.reasons]),
    ).toEqual([[anna3, ['email']]]);

    expect(await settings({ defaultCountry: 'RU', autoMergeVerified: false })).toEqual({
      defaultCountry: 'RU',
      autoMergeVerified: false,
    });
    const after = (await t.as(t.admin, 'GET', `/api/v1/contacts/${anna2}/duplicates`)).json();
    expect(
      after.items.map((i: { contact: { id: string }; reasons: string[] }) => [i.contact.id, i.reasons]),
    ).toEqual([
      [anna1, ['phone']],
      [anna3, ['email']],
    ]);
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${bob}/duplicates`)).json().items).toEqual([]);

    const list = await t.as(t.admin, 'GET', '/api/v1/contacts/duplicates');
    expect(list.statusCode, list.body).toBe(200);
    const groups = list
      .json()
      .items.map((g: { reason: string; key: string; contacts: { id: string }[] }) => [
        g.reason,
        g.key,
        g.contacts.map((c) => c.id),
      ]);
    expect(groups).toEqual(
      expect.arrayContaining([
        ['phone', '+79123456789', [anna1, anna2]],
        ['email', 'anna@example.com', [anna2, anna3]],
      ]),
    );
    expect(groups).toHaveLength(2);

    // An edited phone is compared again; a merged-away contact is no longer suggested.
    const edit = await t.as(t.admin, 'PATCH', `/api/v1/contacts/${bob}`, { phone: '89123456789' });
    expect(edit.statusCode, edit.body).toBe(200);
    const merged = await t.as(t.admin, 'POST', `/api/v1/contacts/${anna1}/merge`, { otherContactId: anna2 });
    expect(merged.statusCode, merged.body).toBe(200);
    const left = (await t.as(t.admin, 'GET', `/api/v1/contacts/${anna1}/duplicates`)).json();
    expect(
      left.items.map((i: { contact: { id: string }; reasons: string[] }) => [i.contact.id, i.reasons]),
    ).toEqual([
      [anna3, ['email']],
      [bob, ['phone']],
    ]);
    const merged2 = await t.as(t.admin, 'GET', `/api/v1/contacts/${anna2}/duplicates`);
    expect(merged2.statusCode).toBe(409);
  });

  it('lets only an admin change the settings and refuses a malformed country', async () => {
    const opId = await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    expect(opId).toBeTruthy();
    const op = await t.login('op@example.com', 'operator-password');
    const res = await t.as(op, 'PUT', '/api/v1/contact-settings', {
      defaultCountry: 'RU',
      autoMergeVerified: true,
    });
    expect(res.statusCode).toBe(403);
    expect((await t.as(op, 'GET', '/api/v1/contact-settings')).json()).toEqual({
      defaultCountry: null,
      autoMergeVerified: false,
    });
    const bad = await t.as(t.admin, 'PUT', '/api/v1/contact-settings', {
      defaultCountry: 'Russia',
      autoMergeVerified: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
  });

  it('merges a new identity whose phone the provider verified into the contact with that phone, only when switched on', async () => {
    const shop = await createApiChannel(t, { name: 'Shop' });
    const known = await customer(shop, 'k', { phone: '8 912 345 67 89' });
    const wa = await channelOfType('whatsapp');
    const sms = await channelOfType(TWILIO_SMS);
    const tg = await channelOfType('telegram');
    const viber = await channelOfType('viber');

    // Off by default: a new WhatsApp sender is a new contact.
    await inbound(wa, { contact: { externalId: '79123456789', phone: '+79123456789' } });
    const separate = await contactOf(wa.id, '79123456789');
    expect(separate).not.toBe(known);

    await settings({ defaultCountry: 'RU', autoMergeVerified: true });
    await inbound(sms, { contact: { externalId: '+79123456789', phone: '+79123456789' } });
    // The SMS sender joins the oldest contact with that number; the WhatsApp contact made earlier stays
    // apart (each identity is judged when it first writes).
    expect(await contactOf(sms.id, '+79123456789')).toBe(known);
    const merges = await t.ctx.db.kysely.selectFrom('contact_merges').selectAll().execute();
    expect(merges.map((m) => [m.survivor_id, m.via, m.merged_by])).toEqual([[known, 'automatic', null]]);
    const convs = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select('contact_id')
      .where('channel_id', '=', sms.id)
      .execute();
    expect(convs.map((c) => c.contact_id)).toEqual([known]);
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${known}`)).json().identities).toHaveLength(2);

    // Telegram: a contact card is proof only when it is the sender's own (user_id = sender).
    await inbound(tg, { contact: { externalId: '555' } });
    const tgContact = await contactOf(tg.id, '555');
    expect(tgContact).not.toBe(known);
    const card = (userId: number) => ({
      contact: { externalId: '555' },
      contentKind: 'contact' as const,
      text: 'Anna +79123456789',
      meta: { sharedContact: { name: 'Anna', phone: '+79123456789', telegramUserId: userId } },
    });
    await inbound(tg, card(777));
    expect(await contactOf(tg.id, '555')).toBe(tgContact);
    await inbound(tg, card(555));
    expect(await contactOf(tg.id, '555')).toBe(known);
    // Every message of that Telegram conversation now belongs to the kept contact.
    const tgMessages = await t.ctx.db.kysely
      .selectFrom('messages')
      .select('author_id')
      .where('channel_id', '=', tg.id)
      .execute();
    expect(new Set(tgMessages.map((m) => m.author_id))).toEqual(new Set([known]));

    // Viber's contact card carries no proof of whose it is: never merged.
    await inbound(viber, { contact: { externalId: 'v1' } });
    await inbound(viber, {
      contact: { externalId: 'v1' },
      contentKind: 'contact',
      meta: { sharedContact: { name: 'Anna', phone: '+79123456789' } },
    });
    expect(await contactOf(viber.id, 'v1')).not.toBe(known);
  });
});
