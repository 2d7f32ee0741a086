import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter } from '../channel-adapter.ts';
import { VkApiError, VkNetworkError, callVk } from './vk-client.ts';
import { vkCapabilities } from './vk-capabilities.ts';
import { parseVkEvent } from './vk-parse.ts';
import { fetchVkName } from './vk-profile.ts';
import { sendVkMessage } from './vk-send.ts';
import { prepareVkSettings, vkSettingsSchema } from './vk-settings.ts';
import { handleVkWebhook } from './vk-webhook.ts';

interface VkGroup {
  id: number;
  name?: string;
  screen_name?: string;
}

/** VK community messages: Callback API in (secret key in the body), `messages.send` out. */
export const vkAdapter: ChannelAdapter = {
  type: 'vk',
  label: { en: 'VK community', ru: 'Сообщество ВКонтакте' },
  providerName: 'VK',
  settingsSchema: vkSettingsSchema,
  capabilities: vkCapabilities,

  async prepare(input, existing) {
    return prepareVkSettings(input, existing);
  },

  describe(channel, webhookUrl) {
    const screen = channel.settings.screenName;
    return {
      // What the admin enters on the community's Callback API page.
      webhookUrl,
      groupId: channel.settings.groupId ?? null,
      groupName: channel.settings.groupName ?? null,
      groupLink: typeof screen === 'string' ? `https://vk.com/${screen}` : null,
      // What Switchboard answers VK's confirmation request with: it must match the Callback API page.
      confirmationCode: channel.settings.confirmationCode ?? null,
    };
  },

  /** Checks the token against the community (`groups.getById`) and learns its name. */
  async activate(ctx: AppContext, channel) {
    const groupId = Number(channel.settings.groupId);
    let answer: VkGroup[] | { groups?: VkGroup[] };
    try {
      answer = await callVk(ctx, channel, 'groups.getById', { group_id: groupId });
    } catch (err) {
      if (err instanceof VkApiError && (err.errorCode === 5 || err.errorCode === 27)) {
        throw new DomainError(
          'validation_error',
          `settings.accessToken: VK does not accept this access token (error ${err.errorCode})`,
        );
      }
      if (err instanceof VkApiError && (err.errorCode === 100 || err.errorCode === 15)) {
        throw new DomainError(
          'validation_error',
          `settings.groupId: VK refused to describe community ${groupId} (error ${err.errorCode})`,
        );
      }
      if (err instanceof VkNetworkError)
        throw new DomainError('service_unavailable', 'VK could not be reached');
      // An API front that does not offer groups.getById (a proxy): the first send checks the token.
      if (err instanceof VkApiError) return { settings: {} };
      throw err;
    }
    // API 5.138 and later wrap the list in `{groups}`.
    const groups = Array.isArray(answer) ? answer : (answer.groups ?? []);
    const g = groups[0];
    if (g && g.id !== groupId) {
      throw new DomainError(
        'validation_error',
        `settings.accessToken: the access token is not a token of community ${groupId}`,
      );
    }
    return {
      settings: {
        ...(g?.name ? { groupName: g.name } : {}),
        ...(g?.screen_name ? { screenName: g.screen_name } : {}),
      },
    };
  },

  handleWebhook: handleVkWebhook,

  parse(payload) {
    return parseVkEvent(payload);
  },

  async send(ctx, channel, message) {
    return sendVkMessage(ctx, channel, message);
  },

  async resolveMedia(_ctx, _channel, providerRef) {
    if (!/^https?:\/\//.test(providerRef)) {
      throw new PermanentError('Malformed VK attachment URL', 'download_failed');
    }
    return { url: providerRef };
  },

  async fetchProfile(ctx, channel, externalId) {
    return fetchVkName(ctx, channel, externalId);
  },
};
