import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import {
  TwilioApiError,
  TwilioNetworkError,
  accountBase,
  twilioAuth,
  twilioRequest,
} from './twilio-client.ts';
import { parseTwilioEvent } from './twilio-parse.ts';
import { sendTwilioMessage } from './twilio-send.ts';
import { twilioSettingsSchema } from './twilio-settings.ts';
import { handleTwilioWebhook } from './twilio-webhook.ts';
import { twilioSmsCapabilities } from './twilio-capabilities.ts';

export const TWILIO_SMS = 'twilio_sms';

interface AccountResource {
  friendly_name?: string;
  status?: string;
}

/**
 * Where Twilio posts status callbacks: this channel's webhook URL (the same one that receives messages).
 * PUBLIC_URL when configured, else the URL seen when an admin last saved the channel.
 */
function statusCallbackUrl(ctx: AppContext, channel: ChannelRuntime): string | null {
  if (ctx.config.publicUrl) return `${ctx.config.publicUrl}/webhooks/${TWILIO_SMS}/${channel.id}`;
  const saved = channel.settings.webhookUrl;
  return typeof saved === 'string' && /^https?:\/\//.test(saved) ? saved : null;
}

/** Twilio Programmable Messaging: SMS and MMS from a number or a Messaging Service. */
export const twilioSmsAdapter: ChannelAdapter = {
  type: TWILIO_SMS,
  // The provider's documented answer to a request it did not sign.
  signatureRefusedStatus: 403,
  label: { en: 'SMS (Twilio)', ru: 'СМС через Twilio' },
  consentScopeLabel: { en: 'SMS', ru: 'СМС' },
  settingsSchema: twilioSettingsSchema,
  capabilities: twilioSmsCapabilities,

  async prepare(input, existing) {
    const s = twilioSettingsSchema.parse(input);
    const sameAccount = existing?.settings.accountSid === s.accountSid;
    const authToken = s.authToken ?? (sameAccount ? existing?.credentials.authToken : undefined);
    if (!authToken) throw new DomainError('validation_error', 'settings.authToken: required');
    const settings: Record<string, unknown> = { accountSid: s.accountSid };
    if (s.fromNumber) settings.fromNumber = s.fromNumber;
    if (s.messagingServiceSid) settings.messagingServiceSid = s.messagingServiceSid;
    if (s.apiBaseUrl) settings.apiBaseUrl = s.apiBaseUrl;
    settings.keywordReplies = s.keywordReplies ?? 'twilio';
    if (s.replies) settings.replies = s.replies;
    if (s.keywords) settings.keywords = s.keywords;
    return { settings, credentials: { authToken } };
  },

  describe(channel, webhookUrl) {
    return {
      // Paste into the number's (or Messaging Service's) "A message comes in" field, method POST.
      webhookUrl,
      signatureHeader: 'X-Twilio-Signature',
      accountName: channel.settings.accountName ?? null,
      keywordReplies: channel.settings.keywordReplies ?? 'twilio',
    };
  },

  /** Checks the Account SID and Auth Token (and that the From number belongs to the account). */
  async activate(ctx: AppContext, channel: ChannelRuntime, webhookUrl: string) {
    let account: AccountResource;
    try {
      account = await twilioRequest<AccountResource>(ctx, channel, 'GET', '.json');
      const from = channel.settings.fromNumber;
      if (typeof from === 'string' && from.startsWith('+')) {
        const list = await twilioRequest<{ incoming_phone_numbers?: unknown[] }>(
          ctx,
          channel,
          'GET',
          `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(from)}`,
        );
        if (!list.incoming_phone_numbers?.length) {
          throw new DomainError(
            'validation_error',
            `settings.fromNumber: ${from} is not a phone number of this Twilio account`,
          );
        }
      }
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (err instanceof BlockedUrlError)
        throw new DomainError(
          'validation_error',
          `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
        );
      if (err instanceof TwilioNetworkError) {
        throw new DomainError(
          'service_unavailable',
          `Could not reach the Twilio API at ${accountBase(channel)}: ${err.message}`,
        );
      }
      if (err instanceof TwilioApiError && (err.httpStatus === 401 || err.code === 20003)) {
        throw new DomainError(
          'validation_error',
          `settings.authToken: Twilio does not accept this Account SID and Auth Token (${err.detail})`,
        );
      }
      if (err instanceof TwilioApiError && err.httpStatus === 404) {
        throw new DomainError(
          'validation_error',
          `settings.accountSid: Twilio has no such account (${err.detail})`,
        );
      }
      if (err instanceof TwilioApiError) {
        throw new DomainError('validation_error', `Twilio says: ${err.detail} (error ${err.code})`);
      }
      throw err;
    }
    return { settings: { accountName: account.friendly_name ?? null, webhookUrl } };
  },

  handleWebhook(req, channel) {
    return handleTwilioWebhook(req, channel);
  },

  parse(payload, channel) {
    return parseTwilioEvent(payload, channel);
  },

  async send(ctx, channel, message) {
    return sendTwilioMessage(ctx, channel, message, statusCallbackUrl(ctx, channel));
  },

  /**
   * `MediaUrl{N}` of an inbound MMS. It is fetched with the account's Basic credentials (required when
   * media authentication is on); Twilio redirects to its media store, and the download drops the
   * credentials when the host changes. Only URLs below this account on the configured API root are fetched
   * with them.
   */
  async resolveMedia(_ctx, channel, providerRef) {
    const prefix = `${accountBase(channel)}/Messages/`;
    if (!providerRef.startsWith(prefix) || !/\/Media\/ME[0-9a-fA-F]{32}$/.test(providerRef)) {
      throw new PermanentError('Not a Twilio media URL of this account', 'download_failed');
    }
    return { url: providerRef, headers: twilioAuth(channel) };
  },
};
