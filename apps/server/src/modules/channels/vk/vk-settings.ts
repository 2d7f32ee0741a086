import { z } from 'zod';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/** What an admin enters: the community, its token and the Callback API server's secret and confirmation string. */
export const vkSettingsSchema = z.object({
  groupId: z.coerce
    .number()
    .int()
    .positive()
    .meta({
      label: { en: 'Community id', ru: 'Идентификатор сообщества' },
      help: {
        en: 'The number in the community address (club123456789) or in Manage → API usage',
        ru: 'Число из адреса сообщества (club123456789) или из раздела «Управление → Работа с API»',
      },
      placeholder: '123456789',
      requiredOnCreate: true,
    })
    .optional(),
  accessToken: z
    .string()
    .trim()
    .min(20, 'a community access token is a long string (Manage → API usage → Access tokens)')
    .meta({
      label: {
        en: 'Community access token (messages access)',
        ru: 'Ключ доступа сообщества (с доступом к сообщениям)',
      },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  secret: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .meta({
      label: { en: 'Callback API secret key', ru: 'Секретный ключ Callback API' },
      help: {
        en: 'Set the same secret key on the Callback API server in VK: every event carries it',
        ru: 'Тот же секретный ключ, что указан на сервере Callback API во ВКонтакте: он приходит в каждом событии',
      },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  confirmationCode: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({
      label: { en: 'Confirmation string', ru: 'Строка подтверждения' },
      help: {
        en: 'The string VK shows on the Callback API page ("String to be returned")',
        ru: 'Строка, которую ВКонтакте показывает на странице Callback API («Строка, которую должен вернуть сервер»)',
      },
      requiredOnCreate: true,
    })
    .optional(),
  apiBaseUrl: httpUrl
    .meta({
      label: { en: 'VK API address', ru: 'Адрес API ВКонтакте' },
      advanced: true,
      placeholder: 'https://api.vk.ru/method',
    })
    .optional(),
  apiVersion: z.coerce
    .string()
    .trim()
    .regex(/^5\.\d{1,3}$/, 'a VK API version looks like 5.199')
    .meta({
      label: { en: 'VK API version', ru: 'Версия API ВКонтакте' },
      advanced: true,
      placeholder: '5.199',
    })
    .optional(),
});

const pick = (key: string, v: unknown) => (typeof v === 'string' && v ? { [key]: v } : {});

/** Stored settings (in clear) and credentials (encrypted), taking unchanged secrets from the existing channel. */
export function prepareVkSettings(
  input: Record<string, unknown>,
  existing?: ChannelRuntime,
): { settings: Record<string, unknown>; credentials: Record<string, string> } {
  const s = vkSettingsSchema.parse(input);
  const accessToken = s.accessToken ?? existing?.credentials.accessToken;
  const secret = s.secret ?? existing?.credentials.secret;
  if (!accessToken)
    throw new DomainError(
      'validation_error',
      'settings.accessToken: required (a community token with messages access)',
    );
  if (!secret)
    throw new DomainError('validation_error', 'settings.secret: required (the Callback API secret key)');
  const groupId = s.groupId ?? (existing ? Number(existing.settings.groupId) || undefined : undefined);
  if (!groupId) throw new DomainError('validation_error', 'settings.groupId: required (the community id)');
  const confirmationCode = s.confirmationCode ?? existing?.settings.confirmationCode;
  if (typeof confirmationCode !== 'string' || !confirmationCode)
    throw new DomainError(
      'validation_error',
      'settings.confirmationCode: required (shown on the Callback API page)',
    );
  return {
    settings: {
      groupId,
      confirmationCode,
      // Unchanged when an update leaves them out, like the secrets.
      ...pick('apiBaseUrl', s.apiBaseUrl ?? existing?.settings.apiBaseUrl),
      ...pick('apiVersion', s.apiVersion ?? existing?.settings.apiVersion),
      // What activation learnt from VK stays until activation runs again.
      ...(existing?.settings.groupName ? { groupName: existing.settings.groupName } : {}),
      ...(existing?.settings.screenName ? { screenName: existing.settings.screenName } : {}),
    },
    credentials: { accessToken, secret },
  };
}
