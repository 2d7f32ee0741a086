import { FIELD_MODES } from '@switchboard/shared';
import { z } from 'zod';

const fieldMode = z.enum(FIELD_MODES);
const localized = z
  .object({ en: z.string().trim().max(500).optional(), ru: z.string().trim().max(500).optional() })
  .default({});

/** Largest upload a channel may allow; MEDIA_MAX_BYTES caps it further. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024;

/** What an admin sets on a widget channel (all optional: a bare channel works as is). */
export const widgetSettingsSchema = z.object({
  title: localized.meta({
    description: 'header of the chat panel; defaults to the channel name',
    label: { en: 'Title of the chat panel', ru: 'Заголовок окна чата' },
  }),
  welcome: localized.meta({
    description: 'shown above the conversation before the visitor writes',
    label: { en: 'Welcome text', ru: 'Приветствие' },
    advanced: true,
  }),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb')
    .meta({ label: { en: 'Colour', ru: 'Цвет' }, placeholder: '#2563eb' })
    .default('#2563eb'),
  position: z
    .enum(['right', 'left'])
    .meta({
      label: { en: 'Position on the page', ru: 'Положение на странице' },
      optionLabels: { right: { en: 'Right', ru: 'Справа' }, left: { en: 'Left', ru: 'Слева' } },
      advanced: true,
    })
    .default('right'),
  preChatForm: z
    .object({
      enabled: z.boolean().default(false),
      name: fieldMode.default('optional'),
      email: fieldMode.default('optional'),
      phone: fieldMode.default('off'),
    })
    .meta({ label: { en: 'Pre-chat form', ru: 'Анкета перед чатом' }, advanced: true })
    .default({ enabled: false, name: 'optional', email: 'optional', phone: 'off' }),
  /**
   * Sites allowed to embed this widget (`https://shop.example.com`); empty = any site. The browser's
   * Origin header is checked on every visitor request and socket.
   */
  allowedOrigins: z
    .array(
      z
        .string()
        .url()
        .transform((u) => new URL(u).origin),
    )
    .max(50)
    .meta({
      label: {
        en: 'Sites that may embed it (comma-separated; empty = any site)',
        ru: 'Сайты, где его можно разместить (через запятую; пусто — любые)',
      },
      placeholder: 'https://shop.example.com',
    })
    .default([]),
  maxUploadBytes: z
    .number()
    .int()
    .min(0)
    .max(MAX_UPLOAD_BYTES)
    .meta({
      label: { en: 'Largest file a visitor may send (bytes)', ru: 'Наибольший файл от посетителя (байт)' },
      advanced: true,
    })
    .default(DEFAULT_UPLOAD_BYTES),
  /** Bytes of visitor files this channel may keep in all; unset = WIDGET_UPLOAD_CHANNEL_QUOTA_BYTES. */
  uploadQuotaBytes: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .meta({
      label: {
        en: 'Storage for visitor files, in all (bytes; empty = instance default)',
        ru: 'Место под файлы посетителей, всего (байт; пусто — по умолчанию)',
      },
      advanced: true,
    })
    .optional(),
  /** Bytes and files one client address may upload per 24 h; unset = WIDGET_UPLOAD_IP_DAILY_*. */
  uploadIpDailyBytes: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .meta({
      label: {
        en: 'Bytes one address may upload per day (empty = instance default)',
        ru: 'Байт с одного адреса в сутки (пусто — по умолчанию)',
      },
      advanced: true,
    })
    .optional(),
  uploadIpDailyFiles: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .meta({
      label: {
        en: 'Files one address may upload per day (empty = instance default)',
        ru: 'Файлов с одного адреса в сутки (пусто — по умолчанию)',
      },
      advanced: true,
    })
    .optional(),
  /** Visitors must be identified by the business's backend (signed user id); anonymous chats are refused. */
  requireIdentity: z
    .boolean()
    .meta({
      label: {
        en: 'Only visitors identified by your site',
        ru: 'Только посетители, которых опознал ваш сайт',
      },
      advanced: true,
    })
    .default(false),
});

export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** Stored settings are re-parsed so channels created by an older version pick up new defaults. */
export function widgetSettingsOf(stored: Record<string, unknown>): WidgetSettings {
  const parsed = widgetSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : widgetSettingsSchema.parse({});
}

/** True when this page origin may use the widget of the channel. */
export function originAllowed(s: WidgetSettings, origin: string | undefined): boolean {
  if (s.allowedOrigins.length === 0) return true;
  return origin !== undefined && s.allowedOrigins.includes(origin);
}
