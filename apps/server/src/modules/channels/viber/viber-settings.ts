import { z } from 'zod';

const httpsUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

export const VIBER_API = 'https://chatapi.viber.com/pa';
/** Viber's limit on the sender name shown with every message. */
export const SENDER_NAME_MAX = 28;

/** What an admin sets (the auth token is split off into credentials). */
export const viberSettingsSchema = z.object({
  /** Kept encrypted; may be left out on update to keep the stored one. */
  authToken: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{16,200}$/, "the bot's authentication token from the Viber Admin Panel")
    .meta({
      label: { en: 'Authentication token', ru: 'Токен авторизации бота' },
      help: {
        en: 'Viber Admin Panel → your bot → Token. It also signs every callback.',
        ru: 'Панель администратора Viber → ваш бот → токен. Им же подписан каждый вызов вебхука.',
      },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  senderName: z
    .string()
    .trim()
    .min(1)
    .max(SENDER_NAME_MAX)
    .meta({
      label: { en: 'Sender name (up to 28 characters)', ru: 'Имя отправителя (до 28 символов)' },
      help: {
        en: "Shown above each message; the bot's own name when empty.",
        ru: 'Показывается над каждым сообщением; если пусто — имя бота.',
      },
    })
    .optional(),
  senderAvatar: httpsUrl
    .meta({
      label: { en: 'Sender avatar (image URL)', ru: 'Аватар отправителя (адрес картинки)' },
      placeholder: 'https://',
    })
    .optional(),
  /**
   * Answered to `conversation_started` (a person opening the chat): the one message Viber lets a bot send
   * to someone who has not subscribed. Empty: no welcome.
   */
  welcomeMessage: z
    .string()
    .trim()
    .max(7000)
    .meta({
      label: { en: 'Welcome message', ru: 'Приветственное сообщение' },
      help: {
        en: 'Sent when a person opens the chat with the bot, before they subscribe. Leave empty for none.',
        ru: 'Отправляется, когда человек открывает чат с ботом, ещё до подписки. Оставьте пустым, чтобы не отправлять.',
      },
    })
    .optional(),
  /** REST root: a proxy or the sandbox (default https://chatapi.viber.com/pa). */
  apiBaseUrl: httpsUrl
    .meta({
      label: { en: 'Viber API address', ru: 'Адрес API Viber' },
      advanced: true,
      placeholder: VIBER_API,
    })
    .optional(),
});

export type ViberSettingsInput = z.infer<typeof viberSettingsSchema>;
