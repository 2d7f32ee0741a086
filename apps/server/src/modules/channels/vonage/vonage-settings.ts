import { z } from 'zod';
import { keywordSettingsFields } from '../../consent/keyword-settings.ts';

export const VONAGE_API = 'https://api.nexmo.com';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const secret = (en: string, ru: string, help?: { en: string; ru: string }) =>
  z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{8,200}$/, '8–200 printable characters')
    .meta({ label: { en, ru }, secret: true, requiredOnCreate: true, ...(help ? { help } : {}) })
    .optional();

/** What an admin sets (the secrets are split off into credentials). */
export const vonageSettingsSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{6,40}$/, 'the API key from the Vonage dashboard')
    .meta({ label: { en: 'API key', ru: 'Ключ API (API key)' } }),
  /** Kept encrypted; may be left out on update to keep the stored one. */
  apiSecret: secret('API secret', 'Секрет API (API secret)'),
  signatureSecret: secret('Signature secret', 'Секрет подписи (signature secret)', {
    en: 'Dashboard → Settings → signature secret; Vonage signs every webhook with it (JWT, HS256).',
    ru: 'Панель Vonage → настройки → секрет подписи; им подписан каждый вебхук (JWT, HS256).',
  }),
  fromNumber: z
    .string()
    .trim()
    .regex(
      /^(\+?[1-9]\d{5,14}|[A-Za-z0-9 ]{1,11})$/,
      'a number such as 447700900000, or a sender name of up to 11 characters',
    )
    .meta({
      label: { en: 'Sending number', ru: 'Номер отправителя' },
      help: {
        en: 'Your Vonage virtual number in international format (the + may be left out).',
        ru: 'Ваш виртуальный номер Vonage в международном формате (знак + можно не писать).',
      },
      placeholder: '447700900000',
    }),
  /** REST root: a proxy or the sandbox (default https://api.nexmo.com). */
  apiBaseUrl: httpUrl
    .meta({
      label: { en: 'Vonage API address', ru: 'Адрес API Vonage' },
      advanced: true,
      placeholder: VONAGE_API,
    })
    .optional(),
  ...keywordSettingsFields,
});

export type VonageSettingsInput = z.infer<typeof vonageSettingsSchema>;
