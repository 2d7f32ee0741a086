import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { graphCall } from '../meta/graph-client.ts';
import { activationError } from '../meta/meta-activation.ts';
import { type MetaChannelKind, metaConn, prepareMetaChannel } from '../meta/meta-channel.ts';
import { handleMetaMessagingWebhook } from '../meta/meta-messaging.ts';
import { fetchMetaProfile, instagramName } from '../meta/meta-profile.ts';
import { parseMetaEvent } from '../meta/meta-parse.ts';
import { sendMetaMessage } from '../meta/meta-send.ts';
import { INSTAGRAM_FIELDS, metaCommonSettings } from '../meta/meta-settings.ts';
import { splitTextBytes } from '../split-text.ts';
import { INSTAGRAM_TEXT_MAX_BYTES, instagramCapabilities } from './instagram-capabilities.ts';

/** Instagram API with Instagram Login. */
export const INSTAGRAM_API = 'https://graph.instagram.com';

const settingsSchema = z.object({
  instagramAccountId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'the numeric Instagram professional account id')
    .meta({ label: { en: 'Instagram account ID', ru: 'Идентификатор аккаунта Instagram' } }),
  accessToken: z
    .string()
    .trim()
    .min(10)
    .max(1000)
    .meta({
      label: { en: 'Instagram access token', ru: 'Токен доступа Instagram' },
      secret: true,
      requiredOnCreate: true,
    })
    .optional(),
  ...metaCommonSettings,
});

const kind: MetaChannelKind = {
  product: 'Instagram',
  defaultApiBaseUrl: INSTAGRAM_API,
  idField: 'instagramAccountId',
  tokenField: 'accessToken',
};
const conn = (channel: ChannelRuntime) => metaConn(channel, kind);

const product = {
  label: 'Instagram' as const,
  object: 'instagram' as const,
  accountId: (c: ChannelRuntime) => String(c.settings.instagramAccountId),
};

/**
 * Instagram Direct of a professional account: Instagram messaging webhooks in, `POST /me/messages` out.
 * Customers' media stay links to Meta's CDN: Instagram's terms forbid storing them.
 */
export const instagramAdapter: ChannelAdapter = {
  type: 'instagram',
  label: { en: 'Instagram Direct', ru: 'Instagram Direct' },
  settingsSchema,
  capabilities: instagramCapabilities,

  async prepare(input, existing) {
    return prepareMetaChannel(settingsSchema.parse(input), existing, kind);
  },

  describe(channel, webhookUrl) {
    return {
      webhookUrl,
      // Typed once into the app's Webhooks settings (object "instagram") next to the callback URL.
      verifyToken: channel.credentials.verifyToken ?? null,
      username: channel.settings.username ?? null,
      subscribedFields: INSTAGRAM_FIELDS,
    };
  },

  /** Checks the token belongs to the account, then subscribes the app to its messaging fields. */
  async activate(ctx: AppContext, channel: ChannelRuntime) {
    const c = conn(channel);
    const accountId = String(channel.settings.instagramAccountId);
    let me: { id?: string; user_id?: string | number; username?: string };
    try {
      me = await graphCall(ctx, c, 'GET', 'me?fields=user_id,username');
    } catch (err) {
      throw activationError(err, c, 'accessToken');
    }
    if (String(me.user_id ?? '') !== accountId && me.id !== accountId) {
      throw new DomainError(
        'validation_error',
        `settings.accessToken: this is the token of Instagram account ${String(me.user_id ?? me.id ?? '?')}, not of ${accountId}`,
      );
    }
    try {
      await graphCall(ctx, c, 'POST', `me/subscribed_apps?subscribed_fields=${INSTAGRAM_FIELDS.join(',')}`);
    } catch (err) {
      throw activationError(err, c, 'accessToken');
    }
    return { settings: { username: me.username ?? null } };
  },

  handleWebhook(req, channel) {
    return handleMetaMessagingWebhook(req, channel, product);
  },

  parse(payload) {
    return parseMetaEvent(payload, { label: 'Instagram', downloadMedia: false, echoMarker: '' });
  },

  async fetchProfile(ctx, channel, igsid) {
    return fetchMetaProfile(ctx, conn(channel), igsid, ['name', 'username'], instagramName);
  },

  async send(ctx, channel, message) {
    return sendMetaMessage(
      ctx,
      conn(channel),
      { label: 'Instagram', split: (t) => splitTextBytes(t, INSTAGRAM_TEXT_MAX_BYTES), upload: false },
      message,
    );
  },
};
