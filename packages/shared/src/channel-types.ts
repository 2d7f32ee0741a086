import { z } from 'zod';
import { CONTENT_KINDS } from './domain.ts';

/**
 * What a channel type is and may do, declared once by its adapter (server) and served at
 * `GET /api/v1/channel-types`. Every policy — messaging window, consent, contact import, outbound
 * checks, the console's forms and labels — reads it instead of keeping its own list of types, so a new
 * channel gets its own rules or none, never another channel's by omission.
 */

/** Text in the console's two languages. */
export const localizedTextSchema = z.object({ en: z.string(), ru: z.string() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const outboundMediaSchema = z
  .object({
    rules: z
      .array(
        z.object({
          kind: z
            .enum(['image', 'video', 'audio', 'document', 'sticker', 'file'])
            .describe('how a matching file goes out at the provider'),
          mimeTypes: z
            .union([z.array(z.string()), z.literal('any')])
            .describe('exact MIME types, `type/*` or `prefix*` patterns, or "any"'),
          maxBytes: z.number().int().describe('largest file of these types (capped at MEDIA_MAX_BYTES)'),
        }),
      )
      .describe('a file can be sent when some rule takes both its type and its size'),
    maxTotalBytes: z
      .number()
      .int()
      .nullable()
      .describe('all files of one message together (Twilio MMS: 5 MB), or null'),
  })
  .describe(
    "Which uploaded files this channel can send to the customer (the provider's published limits). A reply " +
      'with a file outside them is refused with 422 `unsupported_media_type`; private notes take any upload.',
  );

/** A window length as an admin sets it on a channel's routing. */
export const windowSettingSchema = z.discriminatedUnion('unit', [
  z.strictObject({
    unit: z.literal('hours'),
    value: z
      .number()
      .int()
      .min(1)
      .max(24 * 366),
  }),
  z.strictObject({ unit: z.literal('days'), value: z.number().int().min(1).max(366) }),
  z.strictObject({ unit: z.literal('unlimited') }),
]);
export type WindowSetting = z.infer<typeof windowSettingSchema>;

export const messageTagSchema = z.object({
  tag: z.string().describe("the provider's tag, e.g. Messenger's HUMAN_AGENT"),
  windowMs: z
    .number()
    .int()
    .positive()
    .describe("how long after the customer's last message a message with this tag may still be sent"),
  enabledBy: z
    .string()
    .nullable()
    .describe(
      'a boolean channel setting that must be true for the tag to be used (the provider grants it per app), or null',
    ),
});
export type MessageTag = z.infer<typeof messageTagSchema>;

export const messagingWindowSchema = z.object({
  providerWindowMs: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe(
      "the provider's own window (WhatsApp: 24 h), which no admin may change; null = Switchboard's window, set per channel",
    ),
  defaultWindow: windowSettingSchema.describe('the window a channel has while its admin has not set one'),
  unlimitedAllowed: z.boolean().describe('whether an admin may make the window unlimited'),
  templates: z.boolean().describe('provider-approved templates may be sent after the window closed'),
  tags: z.array(messageTagSchema).describe('message tags that pass the closed window for a while longer'),
  optInLifts: z
    .boolean()
    .describe(
      'an explicit opt-in lets the business write outside the window (the provider allows business-initiated messages)',
    ),
  billableSessionMs: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe(
      "the provider's free session that each customer message opens (Viber: 24 h); sending outside it is allowed " +
        'but billed by the provider, so the console shows it like a window and such messages are marked billable',
    ),
});
export type MessagingWindow = z.infer<typeof messagingWindowSchema>;

export const ADDRESS_FORMATS = ['e164', 'e164_digits', 'integer', 'text', 'none'] as const;
export type AddressFormat = (typeof ADDRESS_FORMATS)[number];

export const addressingSchema = z.object({
  format: z
    .enum(ADDRESS_FORMATS)
    .describe(
      "the customer's address as the provider's webhooks report it: e164 (+15551234567), e164_digits " +
        '(15551234567), integer (a chat id, may be negative), text (any id up to 200 characters), none (made by ' +
        'the channel itself; contacts cannot be imported)',
    ),
  importable: z.boolean().describe('contacts can be imported with their address before they write'),
  phone: z
    .boolean()
    .describe("the address is the customer's phone number (a phone column can stand in for it)"),
  example: z.string().nullable().describe('an address as it is written, for help texts'),
  noun: localizedTextSchema.describe('what the address is called: "phone number", "chat id"'),
});
export type Addressing = z.infer<typeof addressingSchema>;

export const channelFeaturesSchema = z.object({
  edits: z.boolean().describe('customers can edit messages and the channel reports it'),
  deletions: z.boolean().describe('customers can delete messages and the channel reports it'),
  reactions: z.boolean().describe('the channel reports reactions'),
  deliveryReceipts: z.boolean().describe('the provider reports delivery of our messages'),
  readReceipts: z.boolean().describe('the provider reports that the customer read our messages'),
  typing: z.boolean().describe('typing indicators exist on this channel'),
  buttons: z
    .boolean()
    .describe(
      'outbound `buttons` are drawn as tappable quick replies and taps come back as inbound messages with ' +
        '`meta.buttonId`; otherwise they are appended to the text as a numbered list',
    ),
});
export type ChannelFeatures = z.infer<typeof channelFeaturesSchema>;

export const channelCapabilitiesSchema = z.object({
  window: messagingWindowSchema,
  consentScope: z
    .string()
    .describe(
      'the scope a contact opts in or out of: channels sharing a scope share the decision (every SMS channel: sms)',
    ),
  addressing: addressingSchema,
  outbound: z.object({
    contentKinds: z.array(z.enum(CONTENT_KINDS)).describe('what an outbound message may carry'),
    textMaxLength: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('longest text in one provider message (longer replies are split), or null'),
    media: outboundMediaSchema,
  }),
  features: channelFeaturesSchema,
});
export type ChannelCapabilities = z.infer<typeof channelCapabilitiesSchema>;

export const SETTING_FIELD_TYPES = [
  'text',
  'url',
  'secret',
  'select',
  'boolean',
  'number',
  'list',
  'localized',
  'object',
] as const;
export type SettingFieldType = (typeof SETTING_FIELD_TYPES)[number];

export const settingFieldSchema = z.object({
  name: z.string().describe('key in the channel settings'),
  type: z
    .enum(SETTING_FIELD_TYPES)
    .describe(
      'text | url | secret (write-only, stored encrypted) | select (one of options) | boolean | number | list ' +
        '(of text) | localized ({en, ru}) | object (set through the API only)',
    ),
  required: z.boolean().describe('needed when the channel is created'),
  secret: z.boolean().describe('stored encrypted and never shown again'),
  advanced: z.boolean().describe('rarely needed (sandbox or proxy addresses); forms may tuck it away'),
  label: localizedTextSchema,
  help: localizedTextSchema.nullable(),
  placeholder: z.string().nullable(),
  options: z
    .array(z.object({ value: z.string(), label: localizedTextSchema.nullable() }))
    .nullable()
    .describe('for select: the accepted values'),
  default: z.unknown().optional().describe('the value used when the field is left out'),
});
export type SettingField = z.infer<typeof settingFieldSchema>;

export const channelTypeSchema = z.object({
  type: z.string(),
  label: localizedTextSchema.describe('the channel type as operators know it'),
  providerName: z
    .string()
    .nullable()
    .describe(
      "the provider's name, the same in every language (WhatsApp), or null: channels then go by their own name",
    ),
  consentScopeLabel: localizedTextSchema.describe("how the console names the channel's consent scope"),
  capabilities: channelCapabilitiesSchema,
  settingsForm: z
    .array(settingFieldSchema)
    .describe("the admin's form for the channel's settings, generated from the adapter's settings schema"),
});
export type ChannelTypeDto = z.infer<typeof channelTypeSchema>;

export const channelTypesResponseSchema = z.object({ items: z.array(channelTypeSchema) });
export type ChannelTypesResponse = z.infer<typeof channelTypesResponseSchema>;

/** What a setting may declare about itself (zod `.meta()`), read by the settings-form generator. */
export interface SettingMeta {
  label: LocalizedText;
  help?: LocalizedText;
  placeholder?: string;
  secret?: boolean;
  /** Needed on create although the schema lets an update leave it out (the stored value is kept). */
  requiredOnCreate?: boolean;
  advanced?: boolean;
  /** For an enum: how each value reads in the form. */
  optionLabels?: Record<string, LocalizedText>;
}
