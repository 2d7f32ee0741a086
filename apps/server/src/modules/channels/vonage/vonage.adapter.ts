import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelAdapter } from '../channel-adapter.ts';
import { vonageSmsCapabilities } from './vonage-capabilities.ts';
import { parseVonageEvent } from './vonage-parse.ts';
import { sendVonageMessage } from './vonage-send.ts';
import { vonageSettingsSchema } from './vonage-settings.ts';
import { handleVonageWebhook } from './vonage-webhook.ts';

export const VONAGE_SMS = 'vonage_sms';

/** Vonage Messages API, channel `sms`: a second SMS provider beside Twilio. */
export const vonageSmsAdapter: ChannelAdapter = {
  type: VONAGE_SMS,
  label: { en: 'SMS (Vonage)', ru: 'СМС через Vonage' },
  providerName: 'Vonage',
  consentScopeLabel: { en: 'SMS', ru: 'СМС' },
  settingsSchema: vonageSettingsSchema,
  capabilities: vonageSmsCapabilities,
  webhookSegment: 'vonage',

  async prepare(input, existing) {
    const s = vonageSettingsSchema.parse(input);
    const sameKey = existing?.settings.apiKey === s.apiKey;
    const apiSecret = s.apiSecret ?? (sameKey ? existing?.credentials.apiSecret : undefined);
    const signatureSecret =
      s.signatureSecret ?? (sameKey ? existing?.credentials.signatureSecret : undefined);
    if (!apiSecret) throw new DomainError('validation_error', 'settings.apiSecret: required');
    if (!signatureSecret) throw new DomainError('validation_error', 'settings.signatureSecret: required');
    const settings: Record<string, unknown> = {
      apiKey: s.apiKey,
      fromNumber: s.fromNumber.replace(/^\+/, ''),
    };
    if (s.apiBaseUrl) settings.apiBaseUrl = s.apiBaseUrl;
    if (s.replies) settings.replies = s.replies;
    if (s.keywords) settings.keywords = s.keywords;
    return { settings, credentials: { apiSecret, signatureSecret } };
  },

  describe(_channel, webhookUrl) {
    return {
      // Paste as both the Inbound URL and the Status URL of the Vonage application (Messages, POST).
      webhookUrl,
      signature: 'Authorization: Bearer <JWT HS256, signature secret> with payload_hash',
    };
  },

  handleWebhook(req, channel) {
    return handleVonageWebhook(req, channel);
  },

  parse(payload, channel) {
    return parseVonageEvent(payload, channel);
  },

  async send(ctx, channel, message) {
    return sendVonageMessage(ctx, channel, message);
  },
};
