import { beforeEach, describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { createAccountWithAdmin } from '../../accounts/account.service.ts';
import {
  type ApiChannel,
  addOperator,
  createOfficeSchedule,
  automaticMessages,
  conversationOf,
  createApiChannel,
  postInbound,
  setRouting,
} from '../routing-test-kit.ts';

const dialects = await testDialects();
/** Monday 5 January 2026, 10:00 in Moscow: within a nine-to-six schedule. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
/** The same Monday, 22:00 in Moscow: outside it. */
const NIGHT = Date.UTC(2026, 0, 5, 19, 0, 0);

interface ChannelStatus {
  channelId: string;
  online: boolean;
  reason: string;
  channelMode: string;
  forcedBy: string | null;
}

describe.each(dialects)('center mode per channel (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0 });
  let shop: ApiChannel;
  let billing: ApiChannel;
  const callback = useCallbackServer();

  beforeEach(async () => {
    shop = await createApiChannel(t, { name: 'Shop', callbackUrl: callback.url });
    billing = await createApiChannel(t, { name: 'Billing', callbackUrl: callback.url });
    const scheduleId = await createOfficeSchedule(t);
    for (const ch of [shop, billing])
      await setRouting(t, ch.id, {
        scheduleId,
        automaticMessages: { greeting: { enabled: true }, offline: { enabled: true } },
      });
    await addOperator(t, 'Anna', { online: true });
  });

  const status = async () => {
    const r = await t.as(t.admin, 'GET', '/api/v1/center/status');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { mode: string; channels: ChannelStatus[] };
    const of = (ch: ApiChannel) => body.channels.find((c) => c.channelId === ch.id)!;
    return { mode: body.mode, shop: of(shop), billing: of(billing) };
  };
  const force = async (ch: ApiChannel | 'account', mode: string) => {
    const r =
      ch === 'account'
        ? await t.as(t.admin, 'POST', '/api/v1/center/status', { mode })
        : await t.as(t.admin, 'POST', `/api/v1/center/channels/${ch.id}`, { mode });
    expect(r.statusCode, r.body).toBe(200);
  };
  /** Which automatic message a new customer on the channel gets now. */
  const replyTo = async (ch: ApiChannel, customer: string) => {
    await postInbound(t, ch, customer, 'Hi');
    await t.drainJobs();
    const [m] = await automaticMessages(t, (await conversationOf(t, customer)).id);
    const row = await t.ctx.db.kysely
      .selectFrom('messages')
      .select('meta')
      .where('id', '=', m!.id)
      .executeTakeFirstOrThrow();
    return (JSON.parse(row.meta) as { automatic: string }).automatic;
  };

  it('forces one channel offline while the others keep following the schedule', async () => {
    expect(await status()).toMatchObject({
      mode: 'auto',
      shop: { online: true, reason: 'open', channelMode: 'auto', forcedBy: null },
      billing: { online: true, reason: 'open', channelMode: 'auto', forcedBy: null },
    });
    await force(shop, 'offline');
    expect(await status()).toMatchObject({
      mode: 'auto',
      shop: { online: false, reason: 'forced_offline', channelMode: 'offline', forcedBy: 'channel' },
      billing: { online: true, reason: 'open', forcedBy: null },
    });
    expect(await replyTo(shop, 'c1')).toBe('offline');
    expect(await replyTo(billing, 'c2')).toBe('greeting');
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', shop.id)
      .where('action', '=', 'center.channel_status_set')
      .execute();
    expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ mode: 'offline' }]);
  });

  it("a channel forced online stays online at night and through the account's forced offline", async () => {
    await force(shop, 'online');
    t.clock.set(NIGHT);
    expect(await status()).toMatchObject({
      shop: { online: true, reason: 'forced_online', forcedBy: 'channel' },
      billing: { online: false, reason: 'outside_hours', forcedBy: null },
    });
    expect(await replyTo(shop, 'c1')).toBe('greeting');
    expect(await replyTo(billing, 'c2')).toBe('offline');

    t.clock.set(T0 + 86_400_000); // Tuesday morning: open by the schedule
    await force('account', 'offline');
    expect(await status()).toMatchObject({
      mode: 'offline',
      shop: { online: true, reason: 'forced_online', channelMode: 'online', forcedBy: 'channel' },
      billing: { online: false, reason: 'forced_offline', channelMode: 'auto', forcedBy: 'account' },
    });

    // Back to auto: the channel follows the account again.
    await force(shop, 'auto');
    expect((await status()).shop).toMatchObject({
      online: false,
      reason: 'forced_offline',
      channelMode: 'auto',
      forcedBy: 'account',
    });
    await force('account', 'auto');
    expect((await status()).shop).toMatchObject({ online: true, reason: 'open', forcedBy: null });
  });

  it("only admins of the channel's own account set it; a bad mode is a validation error", async () => {
    const anna = await t.login('anna@example.com', 'operator-password');
    const asOperator = await t.as(anna, 'POST', `/api/v1/center/channels/${shop.id}`, { mode: 'offline' });
    expect(asOperator.statusCode).toBe(403);
    const bad = await t.as(t.admin, 'POST', `/api/v1/center/channels/${shop.id}`, { mode: 'closed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    const missing = await t.as(t.admin, 'POST', '/api/v1/center/channels/no-such-channel', {
      mode: 'offline',
    });
    expect(missing.statusCode).toBe(404);

    await createAccountWithAdmin(t.ctx, {
      accountName: 'Other Co',
      email: 'other@example.com',
      password: 'other-password',
    });
    const stranger = await t.login('other@example.com', 'other-password');
    const foreign = await t.as(stranger, 'POST', `/api/v1/center/channels/${shop.id}`, { mode: 'offline' });
    expect(foreign.statusCode).toBe(404);
    expect((await status()).shop).toMatchObject({ channelMode: 'auto', online: true });
    // Operators read the state, overrides included.
    await force(shop, 'offline');
    const read = (await t.as(anna, 'GET', '/api/v1/center/status')).json();
    expect(read.channels.find((c: ChannelStatus) => c.channelId === shop.id)).toMatchObject({
      channelMode: 'offline',
      forcedBy: 'channel',
    });
  });
});
