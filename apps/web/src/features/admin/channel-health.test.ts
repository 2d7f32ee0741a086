import { describe, expect, it } from 'vitest';
import { channelHealthState } from './channel-health.tsx';

const healthy = { webhookSeenAt: 1, issue: null, detail: null, since: null };

describe('channel health on the admin screen', () => {
  it('token invalid whenever the provider said so', () => {
    const c = {
      active: true,
      connection: {},
      health: { ...healthy, issue: 'token_invalid' as const, since: 5 },
    };
    expect(channelHealthState(c)).toEqual({
      tokenInvalid: true,
      accountBlocked: false,
      webhookPending: false,
    });
    const blocked = { ...c, health: { ...c.health, issue: 'account_blocked' as const } };
    expect(channelHealthState(blocked).accountBlocked).toBe(true);
  });

  it('webhook not verified yet only for active channels whose URL is pasted at the provider (a verify token)', () => {
    const pending = { ...healthy, webhookSeenAt: null };
    expect(
      channelHealthState({ active: true, connection: { verifyToken: 'x' }, health: pending }).webhookPending,
    ).toBe(true);
    expect(
      channelHealthState({ active: false, connection: { verifyToken: 'x' }, health: pending }).webhookPending,
    ).toBe(false);
    // VK: the Callback API server is added by hand and confirmed by VK.
    expect(
      channelHealthState({ active: true, connection: { confirmationCode: 'c' }, health: pending })
        .webhookPending,
    ).toBe(true);
    // Telegram and the API channel register or need no webhook by hand.
    expect(
      channelHealthState({ active: true, connection: { botUsername: 'b' }, health: pending }).webhookPending,
    ).toBe(false);
    expect(
      channelHealthState({ active: true, connection: { verifyToken: 'x' }, health: healthy }).webhookPending,
    ).toBe(false);
    // Operators get no health: nothing to show.
    expect(channelHealthState({ active: true, connection: undefined, health: undefined })).toEqual({
      tokenInvalid: false,
      accountBlocked: false,
      webhookPending: false,
    });
  });
});
