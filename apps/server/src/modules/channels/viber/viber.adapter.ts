import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { viberCapabilities } from './viber-capabilities.ts';
import { ViberApiError, ViberNetworkError, viberBase, viberCall } from './viber-client.ts';
import { describeViberStatus } from './viber-errors.ts';
import { parseViberEvent } from './viber-parse.ts';
import { sendViberMessage } from './viber-send.ts';
import { viberSettingsSchema } from './viber-settings.ts';
import { handleViberWebhook } from './viber-webhook.ts';

export const VIBER = 'viber';

/** Every callback a bot may ask for (`message`, `subscribed` and `unsubscribed` always come). */
const EVENT_TYPES = ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'];

/** A failed `set_webhook` as what the admin must fix. */
function activationError(err: unknown, channel: ChannelRuntime): DomainError {
  if (err instanceof BlockedUrlError)
    return new DomainError(
      'validation_error',
      `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
    );
  if (err instanceof ViberNetworkError)
    return new DomainError(
      'service_unavailable',
      `Could not reach the Viber API at ${viberBase(channel)}: ${err.message}`,
    );
  if (err instanceof ViberApiError && err.status === 2)
    return new DomainError(
      'validation_error',
      'settings.authToken: Viber does not accept this authentication token',
    );
  if (err instanceof ViberApiError && err.status === 1)
    return new DomainError(
      'validation_error',
      `Viber could not call the webhook URL (${err.statusMessage}); Switchboard must be reachable over HTTPS at a public address (PUBLIC_URL)`,
    );
  if (err instanceof ViberApiError)
    return new DomainError('validation_error', describeViberStatus(err.status).message);
  return new DomainError('service_unavailable', err instanceof Error ? err.message : String(err));
}

/** Viber REST Bot API: a bot (public account) and its subscribers. */
export const viberAdapter: ChannelAdapter = {
  type: VIBER,
  // The provider's documented answer to a request it did not sign.
  signatureRefusedStatus: 403,
  label: { en: 'Viber', ru: 'Viber' },
  providerName: 'Viber',
  settingsSchema: viberSettingsSchema,
  capabilities: viberCapabilities,

  async prepare(input, existing) {
    const s = viberSettingsSchema.parse(input);
    const authToken = s.authToken ?? existing?.credentials.authToken;
    if (!authToken) throw new DomainError('validation_error', 'settings.authToken: required');
    const settings: Record<string, unknown> = {};
    if (s.senderName) settings.senderName = s.senderName;
    if (s.senderAvatar) settings.senderAvatar = s.senderAvatar;
    if (s.welcomeMessage) settings.welcomeMessage = s.welcomeMessage;
    if (s.apiBaseUrl) settings.apiBaseUrl = s.apiBaseUrl;
    return { settings, credentials: { authToken } };
  },

  describe(channel, webhookUrl) {
    return {
      // Registered with set_webhook by Switchboard itself; shown for reference.
      webhookUrl,
      signatureHeader: 'X-Viber-Content-Signature',
      webhookRegisteredAt: channel.settings.webhookRegisteredAt ?? null,
    };
  },

  /**
   * `set_webhook` with this channel's URL: Viber checks the token and at once posts a signed `webhook`
   * probe to the URL, which must answer 200 (the webhook route does, while the channel is connecting).
   */
  async activate(ctx: AppContext, channel: ChannelRuntime, webhookUrl: string) {
    try {
      await viberCall(ctx, channel, 'set_webhook', {
        url: webhookUrl,
        event_types: EVENT_TYPES,
        send_name: true,
        send_photo: true,
      });
    } catch (err) {
      throw activationError(err, channel);
    }
    return { settings: { webhookRegisteredAt: ctx.clock.now() } };
  },

  /** `set_webhook` with an empty URL removes it: Viber stops calling a channel that refuses its calls. */
  async deactivate(ctx: AppContext, channel: ChannelRuntime) {
    await viberCall(ctx, channel, 'set_webhook', { url: '' });
  },

  handleWebhook(req, channel) {
    return handleViberWebhook(req, channel);
  },

  parse(payload, channel) {
    return parseViberEvent(payload, channel);
  },

  async send(ctx, channel, message) {
    return sendViberMessage(ctx, channel, message);
  },

  /** Media links in callbacks are Viber's temporary CDN URLs: fetched as they are, soon after arrival. */
  async resolveMedia(_ctx, _channel, providerRef) {
    if (!/^https?:\/\//.test(providerRef))
      throw new PermanentError('Not a Viber media URL', 'download_failed');
    return { url: providerRef };
  },
};
