import { describe, expect, it } from 'vitest';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { prepareVkSettings } from './vk-settings.ts';

const created = {
  groupId: '218000111',
  accessToken: 'vk1.a.0123456789abcdefghijklmnop',
  secret: 'cb-secret',
  confirmationCode: 'a1b2c3',
  apiBaseUrl: 'https://vk-proxy.example.com/method',
  apiVersion: 5.199,
};

describe('VK channel settings', () => {
  it('splits settings from credentials; a numeric version and a string id are taken', () => {
    expect(prepareVkSettings(created)).toEqual({
      settings: {
        groupId: 218000111,
        confirmationCode: 'a1b2c3',
        apiBaseUrl: 'https://vk-proxy.example.com/method',
        apiVersion: '5.199',
      },
      credentials: { accessToken: created.accessToken, secret: 'cb-secret' },
    });
  });

  it('an update keeps what it leaves out; a new channel needs everything', () => {
    const first = prepareVkSettings(created);
    const existing: ChannelRuntime = { id: 'c', accountId: 'a', type: 'vk', name: 'VK', ...first };
    expect(prepareVkSettings({ accessToken: 'vk1.a.another-token-0123456789' }, existing)).toEqual({
      settings: first.settings,
      credentials: { accessToken: 'vk1.a.another-token-0123456789', secret: 'cb-secret' },
    });
    for (const missing of ['groupId', 'accessToken', 'secret', 'confirmationCode']) {
      const input: Record<string, unknown> = { ...created };
      delete input[missing];
      expect(() => prepareVkSettings(input)).toThrow(new RegExp(`^settings\\.${missing}: required`));
    }
    expect(() => prepareVkSettings({ ...created, apiVersion: '6' })).toThrow();
  });
});
