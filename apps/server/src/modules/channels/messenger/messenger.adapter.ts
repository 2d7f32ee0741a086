import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { graphCall } from '../meta/graph-client.ts';
import { activationError } from '../meta/meta-activation.ts';
import { type MetaChannelKind, metaConn, prepareMetaChannel } from '../meta/meta-channel.ts';
import { handleMetaMessagingWebhook } from '../meta/meta-messaging.ts';
import { fetchMetaProfile, messengerName } from '../meta/meta-profile.ts';
import { parseMetaEvent } from '../meta/meta-parse.ts';
import { sendMetaMessage } from '../meta/meta-send.ts';
import { MESSENGER_FIELDS, metaCommonSettings } from '../meta/meta-settings.ts';
import { splitText } from '../split-text.ts';
import { MESSENGER_TEXT_MAX, messengerCapabilities } from './messenger-capabilities.ts';

export const MESSENGER_API = 'https://graph.facebook.com';
/** Put in `message.metadata` of every send; the echo carries it back, so our own sends are recognised. */
export const MESSENGER_ECHO_MARKER = 'switchboard:';

const settingsSchema = z.object({
  pageId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'the numeric Facebook Page id')
    .meta({ label: { en: 'Facebook Page ID', ru: 'Идентификатор страницы Facebook' } }),
  pageAccessToken: z
    .string()
    .trim()
    .min(10)
    .max(1000)
    .meta({
      label: { en: 'Page access token', ru: 'Токен доступа страницы' },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  ...metaCommonSettings,
});

const kind: MetaChannelKind = {
  product: 'Messenger',
  defaultApiBaseUrl: MESSENGER_API,
  idField: 'pageId',
  tokenField: 'pageAccessToken',
};
const conn = (channel: ChannelRuntime) => metaConn(channel, kind);

const product = {
  label: 'Messenger' as const,
  object: 'page' as const,
  accountId: (c: ChannelRuntime) => String(c.settings.pageId),
};

/** Facebook Messenger through a Page: Messenger Platform webhooks in, the Send API out. */
export const messengerAdapter: ChannelAdapter = {
  type: 'messenger',
  label: { en: 'Facebook Messenger', ru: 'Facebook Messenger' },
  settingsSchema,
  capabilities: messengerCapabilities,

  async prepare(input, existing) {
    return prepareMetaChannel(settingsSchema.parse(input), existing, kind);
  },

  describe(channel, webhookUrl) {
    return {
      webhookUrl,
      // Typed once into the app's Webhooks settings (object "page") next to the callback URL.
      verifyToken: channel.credentials.verifyToken ?? null,
      pageName: channel.settings.pageName ?? null,
      subscribedFields: MESSENGER_FIELDS,
    };
  },

  /**
   * Checks the Page token against the Page id, then subscribes the app to the Page's messaging fields
   * (`POST /me/subscribed_apps`); the callback URL itself is set in the app's dashboard.
   */
  async activate(ctx: AppContext, channel: ChannelRuntime) {
    const c = conn(channel);
    const pageId = String(channel.settings.pageId);
    let page: { id?: string; name?: string };
    try {
      page = await graphCall<{ id?: string; name?: string }>(ctx, c, 'GET', 'me?fields=id,name');
    } catch (err) {
      throw activationError(err, c, 'pageAccessToken');
    }
    if (page.id !== pageId) {
      throw new DomainError(
        'validation_error',
        `settings.pageAccessToken: this is the token of Page ${page.id ?? '?'}, not of Page ${pageId}`,
      );
    }
    try {
      await graphCall(ctx, c, 'POST', `me/subscribed_apps?subscribed_fields=${MESSENGER_FIELDS.join(',')}`);
    } catch (err) {
      throw activationError(err, c, 'pageAccessToken');
    }
    return { settings: { pageName: page.name ?? null } };
  },

  handleWebhook(req, channel) {
    return handleMetaMessagingWebhook(req, channel, product);
  },

  parse(payload) {
    return parseMetaEvent(payload, {
      label: 'Messenger',
      downloadMedia: true,
      echoMarker: MESSENGER_ECHO_MARKER,
    });
  },

  async send(ctx, channel, message) {
    return sendMetaMessage(
      ctx,
      conn(channel),
      {
        label: 'Messenger',
        split: (t) => splitText(t, MESSENGER_TEXT_MAX),
        upload: true,
        echoMarker: MESSENGER_ECHO_MARKER,
      },
      message,
    );
  },

  async fetchProfile(ctx, channel, psid) {
    return fetchMetaProfile(ctx, conn(channel), psid, ['first_name', 'last_name'], messengerName);
  },

  /** Attachment URLs in Messenger webhooks are expiring CDN links that need no token. */
  async resolveMedia(_ctx, _channel, providerRef) {
    if (!/^https?:\/\//.test(providerRef)) {
      throw new PermanentError('Malformed Messenger attachment URL', 'download_failed');
    }
    return { url: providerRef };
  },
};
