import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { ALLOWED_UPDATES } from './telegram-updates.ts';
import {
  type Http,
  TelegramApiError,
  TelegramNetworkError,
  botApiBase,
  callBotApi,
} from './telegram-client.ts';

interface TgBotUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

/** Checks the token (getMe) and points the bot's webhook at Switchboard with this channel's secret. */
export async function connectTelegramBot(
  http: Http,
  channel: ChannelRuntime,
  webhookUrl: string,
): Promise<Record<string, unknown>> {
  const base = botApiBase(channel);
  let me: TgBotUser;
  try {
    me = await callBotApi<TgBotUser>(http, channel, 'getMe', {});
  } catch (err) {
    throw activationError(err, base, 'getMe');
  }
  try {
    await callBotApi<boolean>(http, channel, 'setWebhook', {
      url: webhookUrl,
      secret_token: channel.credentials.webhookSecret,
      allowed_updates: ALLOWED_UPDATES,
    });
  } catch (err) {
    throw activationError(err, base, 'setWebhook', webhookUrl);
  }
  return {
    botId: me.id,
    botUsername: me.username ?? null,
    botName: me.first_name,
    webhookUrl,
  };
}

function activationError(err: unknown, base: string, method: string, url?: string): DomainError {
  if (err instanceof BlockedUrlError)
    return new DomainError(
      'validation_error',
      `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
    );
  if (err instanceof TelegramNetworkError) {
    return new DomainError(
      'service_unavailable',
      `Could not reach the Telegram Bot API at ${base}: ${err.message}`,
    );
  }
  if (err instanceof TelegramApiError) {
    if (method === 'getMe' || err.errorCode === 401 || err.errorCode === 404) {
      return new DomainError(
        'validation_error',
        `settings.botToken: Telegram does not accept this bot token (${err.errorCode} ${err.description})`,
      );
    }
    return new DomainError(
      'validation_error',
      `Telegram refused the webhook URL ${url}: ${err.description}. Telegram needs a public https URL ` +
        '(ports 443, 80, 88 or 8443): set PUBLIC_URL to the address where Switchboard is reachable.',
    );
  }
  return new DomainError('service_unavailable', `Telegram ${method} failed: ${(err as Error).message}`);
}
