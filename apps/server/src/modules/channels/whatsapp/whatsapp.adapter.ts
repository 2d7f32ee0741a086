import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { GraphApiError, GraphNetworkError, graphAuth, graphBase, graphRequest } from './graph-client.ts';
import { whatsappJobError } from './whatsapp-errors.ts';
import { parseWhatsAppEvent } from './whatsapp-parse.ts';
import { sendWhatsAppMessage } from './whatsapp-send.ts';
import { handleWhatsAppWebhook } from './whatsapp-webhook.ts';
import { whatsappCapabilities } from './whatsapp-capabilities.ts';
import { whatsappTemplateRoutes } from './whatsapp-templates.routes.ts';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const settingsSchema = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'the numeric phone number id from WhatsApp Manager')
    .meta({ label: { en: 'Phone number ID', ru: 'Идентификатор номера телефона' } }),
  businessAccountId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/)
    .meta({
      label: { en: 'Business account ID (optional)', ru: 'Идентификатор бизнес-аккаунта (необязательно)' },
    })
    .optional(),
  accessToken: z
    .string()
    .trim()
    .min(10)
    .max(1000)
    .meta({ label: { en: 'Access token', ru: 'Токен доступа' }, secret: true, requiredOnCreate: true })
    .optional(),
  appSecret: z
    .string()
    .trim()
    .min(8)
    .max(200)
    .meta({
      label: {
        en: 'App secret (checks webhook signatures)',
        ru: 'Секрет приложения (проверяет подписи вебхуков)',
      },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  /** Chosen by the admin and typed into Meta's webhook settings; generated when absent. */
  verifyToken: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{8,200}$/, '8–200 printable characters')
    .meta({
      label: {
        en: 'Verify token (generated when left empty)',
        ru: 'Токен проверки (создаётся сам, если оставить пустым)',
      },
    })
    .optional(),
  /** Graph API root: a proxy or the sandbox. */
  apiBaseUrl: httpUrl
    .meta({
      label: { en: 'Graph API address', ru: 'Адрес Graph API' },
      advanced: true,
      placeholder: 'https://',
    })
    .optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'like v24.0')
    .meta({
      label: { en: 'Graph API version', ru: 'Версия Graph API' },
      advanced: true,
      placeholder: 'v24.0',
    })
    .optional(),
});

interface MediaInfo {
  url?: string;
  mime_type?: string;
  file_size?: number | string;
}

/** WhatsApp Business Platform, Cloud API. */
export const whatsappAdapter: ChannelAdapter = {
  type: 'whatsapp',
  label: { en: 'WhatsApp (Cloud API)', ru: 'WhatsApp (облачный API)' },
  providerName: 'WhatsApp',
  settingsSchema,
  capabilities: whatsappCapabilities,
  routes: { api: whatsappTemplateRoutes },

  async prepare(input, existing) {
    const s = settingsSchema.parse(input);
    const accessToken = s.accessToken ?? existing?.credentials.accessToken;
    const appSecret = s.appSecret ?? existing?.credentials.appSecret;
    if (!accessToken) throw new DomainError('validation_error', 'settings.accessToken: required');
    if (!appSecret)
      throw new DomainError('validation_error', 'settings.appSecret: required (it signs the webhooks)');
    const settings: Record<string, unknown> = { phoneNumberId: s.phoneNumberId };
    if (s.businessAccountId) settings.businessAccountId = s.businessAccountId;
    if (s.apiBaseUrl) settings.apiBaseUrl = s.apiBaseUrl;
    if (s.apiVersion) settings.apiVersion = s.apiVersion;
    return {
      settings,
      credentials: {
        accessToken,
        appSecret,
        verifyToken:
          s.verifyToken ?? existing?.credentials.verifyToken ?? randomBytes(24).toString('base64url'),
      },
    };
  },

  describe(channel, webhookUrl) {
    return {
      webhookUrl,
      // Needed once, in Meta's webhook settings, next to the callback URL.
      verifyToken: channel.credentials.verifyToken ?? null,
      displayPhoneNumber: channel.settings.displayPhoneNumber ?? null,
      verifiedName: channel.settings.verifiedName ?? null,
    };
  },

  /** Checks the token and the phone number id against Graph; the webhook itself is set in Meta's dashboard. */
  async activate(ctx: AppContext, channel: ChannelRuntime) {
    const id = String(channel.settings.phoneNumberId);
    try {
      const info = await graphRequest<{ display_phone_number?: string; verified_name?: string }>(
        ctx,
        channel,
        'GET',
        `${id}?fields=display_phone_number,verified_name`,
      );
      return {
        settings: {
          displayPhoneNumber: info.display_phone_number ?? null,
          verifiedName: info.verified_name ?? null,
        },
      };
    } catch (err) {
      if (err instanceof BlockedUrlError)
        throw new DomainError(
          'validation_error',
          `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
        );
      if (err instanceof GraphNetworkError) {
        throw new DomainError(
          'service_unavailable',
          `Could not reach the WhatsApp API at ${graphBase(channel)}: ${err.message}`,
        );
      }
      if (err instanceof GraphApiError && (err.code === 190 || err.httpStatus === 401)) {
        throw new DomainError(
          'validation_error',
          `settings.accessToken: WhatsApp does not accept this token (${err.detail})`,
        );
      }
      if (err instanceof GraphApiError) {
        throw new DomainError(
          'validation_error',
          `settings.phoneNumberId: WhatsApp says: ${err.detail} (error ${err.code})`,
        );
      }
      throw err;
    }
  },

  handleWebhook(req, channel) {
    return handleWhatsAppWebhook(req, channel);
  },

  parse(payload) {
    return parseWhatsAppEvent(payload);
  },

  async send(ctx, channel, message) {
    return sendWhatsAppMessage(ctx, channel, message);
  },

  /** `GET /<media-id>` gives a short-lived URL that must be fetched with the same bearer token. */
  async resolveMedia(ctx, channel, providerRef) {
    if (!/^[A-Za-z0-9_.-]{1,200}$/.test(providerRef)) {
      throw new PermanentError('Malformed WhatsApp media id', 'download_failed');
    }
    let info: MediaInfo;
    try {
      info = await graphRequest<MediaInfo>(ctx, channel, 'GET', providerRef);
    } catch (err) {
      throw whatsappJobError(err);
    }
    if (typeof info.url !== 'string')
      throw new PermanentError('WhatsApp gave no media URL', 'download_failed');
    const size = Number(info.file_size);
    return { url: info.url, headers: graphAuth(channel), size: Number.isFinite(size) ? size : undefined };
  },
};
