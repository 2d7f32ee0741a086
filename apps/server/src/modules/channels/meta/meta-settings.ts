import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../window-defaults.ts';

/** Settings fields Messenger and Instagram share, with their form labels. */
export const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

export const HUMAN_AGENT_TAG = 'HUMAN_AGENT';
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;
/** The channel setting an admin turns on once Meta granted the app the Human Agent permission. */
export const HUMAN_AGENT_SETTING = 'humanAgentTag';

export const metaCommonSettings = {
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
    .regex(/^[\x20-\x7e]{8,200}$/, '8–200 printable characters')
    .meta({
      label: {
        en: 'Verify token (generated when left empty)',
        ru: 'Токен проверки (создаётся сам, если оставить пустым)',
      },
      help: {
        en: "Typed into the app's Webhooks settings in Meta's dashboard, next to the callback URL.",
        ru: 'Вводится в настройках вебхуков приложения в панели Meta рядом с адресом обратного вызова.',
      },
    })
    .optional(),
  /**
   * Meta granted this app the Human Agent permission: after the 24-hour window an operator's reply may
   * still go out with the HUMAN_AGENT tag until 7 days after the customer's last message.
   */
  [HUMAN_AGENT_SETTING]: z
    .boolean()
    .meta({
      label: {
        en: 'Human agent replies up to 7 days (HUMAN_AGENT tag)',
        ru: 'Ответы оператора до 7 дней (тег HUMAN_AGENT)',
      },
      help: {
        en: 'Only when Meta granted the app the Human Agent permission. Automatic messages and broadcasts never use it.',
        ru: 'Только если Meta выдала приложению разрешение Human Agent. Автоматические сообщения и рассылки его не используют.',
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
};

/** Subscribed webhook fields asked for when a channel is connected. */
export const MESSENGER_FIELDS = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_postbacks',
];
export const INSTAGRAM_FIELDS = ['messages', 'messaging_seen', 'message_reactions', 'messaging_postbacks'];
