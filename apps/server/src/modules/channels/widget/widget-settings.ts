import { z } from 'zod';

export const FIELD_MODES = ['off', 'optional', 'required'] as const;
export type FieldMode = (typeof FIELD_MODES)[number];

const fieldMode = z.enum(FIELD_MODES);
const localized = z
  .object({ en: z.string().trim().max(500).optional(), ru: z.string().trim().max(500).optional() })
  .default({});

/** Largest upload a channel may allow; MEDIA_MAX_BYTES caps it further. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024;

/** What an admin sets on a widget channel (all optional: a bare channel works as is). */
export const widgetSettingsSchema = z.object({
  title: localized.describe('header of the chat panel; defaults to the channel name'),
  welcome: localized.describe('shown above the conversation before the visitor writes'),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb')
    .default('#2563eb'),
  position: z.enum(['right', 'left']).default('right'),
  preChatForm: z
    .object({
      enabled: z.boolean().default(false),
      name: fieldMode.default('optional'),
      email: fieldMode.default('optional'),
      phone: fieldMode.default('off'),
    })
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
    .default([]),
  maxUploadBytes: z.number().int().min(0).max(MAX_UPLOAD_BYTES).default(DEFAULT_UPLOAD_BYTES),
  /** Visitors must be identified by the business's backend (signed user id); anonymous chats are refused. */
  requireIdentity: z.boolean().default(false),
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
