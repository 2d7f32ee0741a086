import type { MessageKey } from '../../i18n/i18n.tsx';

export const CHANNEL_TYPES = ['api', 'telegram', 'whatsapp', 'twilio_sms', 'widget'] as const;
export type ChannelTypeName = (typeof CHANNEL_TYPES)[number];

export interface SettingField {
  key: string;
  label: MessageKey;
  kind: 'text' | 'url' | 'secret' | 'select';
  required?: boolean;
  placeholder?: string;
  /** For 'select': the values the server accepts (empty = leave it to the server's default). */
  options?: { value: string; label: MessageKey }[];
  description?: MessageKey;
}

/** What an admin fills in to connect each kind of channel (the server validates and connects it). */
export const SETTING_FIELDS: Record<ChannelTypeName, SettingField[]> = {
  api: [{ key: 'callbackUrl', label: 'admin.channels.callbackUrl', kind: 'url', placeholder: 'https://' }],
  telegram: [{ key: 'botToken', label: 'field.botToken', kind: 'secret', required: true }],
  whatsapp: [
    { key: 'phoneNumberId', label: 'field.phoneNumberId', kind: 'text', required: true },
    { key: 'accessToken', label: 'field.accessToken', kind: 'secret', required: true },
    { key: 'appSecret', label: 'field.appSecret', kind: 'secret', required: true },
    { key: 'businessAccountId', label: 'field.businessAccountId', kind: 'text' },
    { key: 'verifyToken', label: 'field.verifyToken', kind: 'text' },
  ],
  twilio_sms: [
    { key: 'accountSid', label: 'field.accountSid', kind: 'text', required: true, placeholder: 'AC…' },
    { key: 'authToken', label: 'field.authToken', kind: 'secret', required: true },
    {
      key: 'fromNumber',
      label: 'field.fromNumber',
      kind: 'text',
      placeholder: '+15551234567',
      description: 'field.fromNumberHelp',
    },
    { key: 'messagingServiceSid', label: 'field.messagingServiceSid', kind: 'text', placeholder: 'MG…' },
    {
      key: 'keywordReplies',
      label: 'field.keywordReplies',
      kind: 'select',
      options: [
        { value: 'twilio', label: 'field.keywordReplies.twilio' },
        { value: 'switchboard', label: 'field.keywordReplies.switchboard' },
      ],
    },
  ],
  widget: [
    { key: 'title', label: 'field.widgetTitle', kind: 'text' },
    { key: 'color', label: 'field.widgetColor', kind: 'text', placeholder: '#2563eb' },
    {
      key: 'allowedOrigins',
      label: 'field.allowedOrigins',
      kind: 'text',
      placeholder: 'https://shop.example.com',
    },
  ],
};

/** The settings object a channel type expects, from the form's text values (empty = leave out). */
export function toSettings(type: ChannelTypeName, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SETTING_FIELDS[type]) {
    const v = values[f.key]?.trim();
    if (!v) continue;
    if (type === 'widget' && f.key === 'title') out.title = { en: v, ru: v };
    else if (type === 'widget' && f.key === 'allowedOrigins')
      out.allowedOrigins = v
        .split(/[,\s]+/)
        .map((o) => o.trim())
        .filter(Boolean);
    else out[f.key] = v;
  }
  return out;
}

export interface ConnectionField {
  key: string;
  label: MessageKey;
  secret?: boolean;
  code?: boolean;
  testId?: string;
}

/** The connection details the server describes per type, in display order. */
export const CONNECTION_FIELDS: ConnectionField[] = [
  { key: 'webhookUrl', label: 'admin.channels.webhookUrl', testId: 'channel-webhook-url' },
  { key: 'secret', label: 'admin.channels.secret', secret: true, testId: 'channel-secret' },
  { key: 'signatureHeader', label: 'admin.channels.signatureHeader' },
  { key: 'botUsername', label: 'conn.botUsername' },
  { key: 'botLink', label: 'conn.botLink' },
  { key: 'verifyToken', label: 'conn.verifyToken', secret: true },
  { key: 'displayPhoneNumber', label: 'conn.displayPhoneNumber' },
  { key: 'verifiedName', label: 'conn.verifiedName' },
  { key: 'accountName', label: 'conn.accountName' },
  { key: 'snippet', label: 'conn.snippet', code: true },
  { key: 'scriptUrl', label: 'conn.scriptUrl' },
  { key: 'identitySecret', label: 'conn.identitySecret', secret: true },
];
