import { z } from 'zod';
import { keywordSettingsFields } from '../../consent/keyword-settings.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/** What an admin sets (secrets included; they are split off into credentials). */
export const twilioSettingsSchema = z
  .object({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'the Account SID from the Twilio console (AC followed by 32 hex digits)')
      .meta({
        label: { en: 'Account SID', ru: 'Идентификатор аккаунта (Account SID)' },
        placeholder: 'AC…',
      }),
    /** Kept encrypted; may be left out on update to keep the stored one. */
    authToken: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{16,128}$/, 'the Auth Token from the Twilio console')
      .meta({
        label: { en: 'Auth token', ru: 'Токен авторизации (Auth Token)' },
        secret: true,
        requiredOnCreate: true,
      })
      .optional(),
    fromNumber: z
      .string()
      .trim()
      .regex(/^(\+[1-9]\d{6,14}|\d{3,8})$/, 'an E.164 number such as +15551234567, or a short code')
      .meta({
        label: { en: 'Sending number', ru: 'Номер отправителя' },
        help: {
          en: 'Your Twilio number in international format; leave empty when sending through a Messaging Service.',
          ru: 'Ваш номер в Twilio в международном формате; оставьте пустым, если отправляете через сервис сообщений.',
        },
        placeholder: '+15551234567',
      })
      .optional(),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hex digits')
      .meta({
        label: {
          en: 'Messaging Service SID (instead of a number)',
          ru: 'Идентификатор сервиса сообщений (вместо номера)',
        },
        placeholder: 'MG…',
      })
      .optional(),
    /** REST root: a proxy or the sandbox (default https://api.twilio.com). */
    apiBaseUrl: httpUrl
      .meta({
        label: { en: 'Twilio API address', ru: 'Адрес API Twilio' },
        advanced: true,
        placeholder: 'https://',
      })
      .optional(),
    /**
     * Who answers STOP/START/HELP. `twilio` (default): Twilio's own keyword handling does on long codes and
     * toll-free numbers, and a Messaging Service with Advanced Opt-Out answers in the texts set there;
     * Switchboard stays silent so the customer is not answered twice. `switchboard`: for short codes or
     * senders without Twilio's handling, Switchboard answers in the webhook's TwiML. Either way the
     * keywords change the contact's consent in Switchboard.
     */
    keywordReplies: z
      .enum(['twilio', 'switchboard'])
      .meta({
        label: { en: 'Who answers STOP, START and HELP', ru: 'Кто отвечает на СТОП, СТАРТ и ПОМОЩЬ' },
        optionLabels: {
          twilio: {
            en: 'Twilio (long codes and toll-free numbers answer by default)',
            ru: 'Twilio (обычные и бесплатные номера отвечают сами)',
          },
          switchboard: {
            en: 'Switchboard (short codes, or Twilio’s handling turned off)',
            ru: 'Switchboard (короткие номера или если обработка в Twilio выключена)',
          },
        },
      })
      .optional(),
    ...keywordSettingsFields,
  })
  .refine((s) => Boolean(s.fromNumber) !== Boolean(s.messagingServiceSid), {
    message: 'set exactly one of fromNumber and messagingServiceSid',
    path: ['fromNumber'],
  });

export type TwilioSettingsInput = z.infer<typeof twilioSettingsSchema>;

export function switchboardAnswersKeywords(channel: ChannelRuntime): boolean {
  return channel.settings.keywordReplies === 'switchboard';
}
