import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { safeEqual } from '../../../infra/crypto/hmac.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, ChannelRuntime, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { TelegramApiError, botApiBase, botToken, callBotApi } from './telegram-client.ts';
import { telegramJobError } from './telegram-errors.ts';
import { parseTelegramUpdate } from './telegram-parse.ts';
import { sendTelegramMessage } from './telegram-send.ts';
import { type TgFile, tgUpdate } from './telegram-types.ts';
import { telegramCapabilities } from './telegram-capabilities.ts';
import { telegramRoutes } from './telegram.routes.ts';
import { connectTelegramBot } from './telegram-connect.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const settingsSchema = z.object({
  botToken: z
    .string()
    .trim()
    .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'a bot token looks like 123456789:AAE… (ask @BotFather)')
    .meta({
      label: { en: 'Bot token (from @BotFather)', ru: 'Токен бота (от @BotFather)' },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  /** Bot API root: a self-hosted Bot API server, a proxy, or the sandbox. */
  apiBaseUrl: httpUrl
    .meta({ label: { en: 'Bot API address', ru: 'Адрес Bot API' }, advanced: true, placeholder: 'https://' })
    .optional(),
});

/** Telegram Bot API: webhook with a secret token, `(chat.id, message_id)` message identity. */
export const telegramAdapter: ChannelAdapter = {
  type: 'telegram',
  label: { en: 'Telegram bot', ru: 'Бот в Telegram' },
  providerName: 'Telegram',
  settingsSchema,
  capabilities: telegramCapabilities,
  routes: { api: telegramRoutes },

  async prepare(input, existing) {
    const s = settingsSchema.parse(input);
    const token = s.botToken ?? existing?.credentials.botToken;
    if (!token)
      throw new DomainError('validation_error', 'settings.botToken: required (ask @BotFather for one)');
    return {
      settings: s.apiBaseUrl ? { apiBaseUrl: s.apiBaseUrl } : {},
      credentials: {
        botToken: token,
        // 1–256 characters of A-Z a-z 0-9 _ - (Telegram's rule); base64url fits it.
        webhookSecret: existing?.credentials.webhookSecret ?? randomBytes(32).toString('base64url'),
      },
    };
  },

  describe(channel, webhookUrl) {
    const username = channel.settings.botUsername;
    return {
      webhookUrl,
      botUsername: username ?? null,
      botLink: typeof username === 'string' ? `https://t.me/${username}` : null,
    };
  },

  async activate(ctx: AppContext, channel, webhookUrl) {
    return { settings: await connectTelegramBot(ctx, channel, webhookUrl) };
  },

  async deactivate(ctx: AppContext, channel) {
    // Without this Telegram keeps retrying updates against a webhook that now answers 404 and the bot's
    // updates pile up on Telegram's side; deleting it lets the token be used elsewhere at once.
    await callBotApi<boolean>(ctx, channel, 'deleteWebhook', {});
  },

  handleWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
    if (req.method !== 'POST') throw new DomainError('bad_request', 'Telegram webhooks are POST requests');
    const header = req.headers[SECRET_HEADER];
    const secret = channel.credentials.webhookSecret;
    if (typeof header !== 'string' || !secret || !safeEqual(header, secret)) {
      throw new DomainError('invalid_signature', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new DomainError('invalid_json', 'The request body is not valid JSON');
    }
    const parsed = tgUpdate.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new DomainError('validation_error', `Not a Telegram Update: ${i?.path.join('.')}: ${i?.message}`);
    }
    const chatId = (parsed.data.message ?? parsed.data.edited_message ?? parsed.data.callback_query?.message)
      ?.chat.id;
    return {
      events: [
        {
          providerEventId: String(parsed.data.update_id),
          payload: json,
          ...(chatId !== undefined ? { orderKey: String(chatId) } : {}),
        },
      ],
      response: { status: 200, body: '' },
    };
  },

  parse(payload) {
    return parseTelegramUpdate(payload);
  },

  async send(ctx, channel, message) {
    return sendTelegramMessage(ctx, channel, message);
  },

  async acknowledge(ctx, channel, payload) {
    // The customer's button spins until the bot answers the query; an empty answer just stops it.
    const id = tgUpdate.safeParse(payload).data?.callback_query?.id;
    if (id) await callBotApi<boolean>(ctx, channel, 'answerCallbackQuery', { callback_query_id: id });
  },

  async resolveMedia(ctx, channel, providerRef) {
    let file: TgFile;
    try {
      file = await callBotApi<TgFile>(ctx, channel, 'getFile', { file_id: providerRef });
    } catch (err) {
      if (err instanceof TelegramApiError && /too big/i.test(err.description)) {
        throw new PermanentError('Telegram lets bots download files up to 20 MB only', 'too_large');
      }
      throw telegramJobError(err);
    }
    if (!file.file_path)
      throw new PermanentError('Telegram gave no download path for this file', 'download_failed');
    return {
      url: `${botApiBase(channel)}/file/bot${botToken(channel)}/${file.file_path}`,
      size: file.file_size,
    };
  },
};
