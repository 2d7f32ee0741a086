import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { safeEqual } from '../../../infra/crypto/hmac.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelAdapter, ChannelRuntime, InboundEvent, WebhookRequest } from '../channel-adapter.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import { SIGNATURE_HEADER, signApiBody } from './api-signature.ts';
import { postSignedJson } from './callback-client.ts';
import { kindOfMime } from '../../messages/content-kind.ts';
import { webAttachmentSchema } from '@switchboard/shared';
import { apiChannelCapabilities } from './api-channel-capabilities.ts';

const settingsSchema = z.object({
  callbackUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'callbackUrl must be an http(s) URL')
    .meta({
      label: { en: 'Callback URL for replies (optional)', ru: 'Адрес для ответов (необязательно)' },
      help: {
        en: 'Operator replies are POSTed here, signed with the channel secret.',
        ru: 'Ответы операторов отправляются сюда POST-запросом с подписью секретом канала.',
      },
      placeholder: 'https://',
    })
    .optional(),
});

const timestampSchema = z.union([z.number().int().positive(), z.string().datetime({ offset: true })]);

export const apiInboundSchema = z.object({
  eventId: z.string().min(1).max(200),
  contact: z.object({
    externalId: z.string().min(1).max(200),
    name: z.string().max(300).optional(),
    phone: z.string().max(50).optional(),
    email: z.string().max(320).optional(),
  }),
  message: z
    .object({
      externalId: z.string().min(1).max(200),
      text: z.string().max(65_536).optional(),
      timestamp: timestampSchema.optional(),
      attachments: z.array(webAttachmentSchema).max(20).default([]),
    })
    .refine((m) => (m.text !== undefined && m.text.length > 0) || m.attachments.length > 0, {
      message: 'message needs text or at least one attachment',
    }),
});

export type ApiInbound = z.infer<typeof apiInboundSchema>;

/**
 * The generic API channel: a business's own system posts signed inbound messages, and replies are
 * delivered as signed POSTs to its callback URL.
 */
export const apiChannelAdapter: ChannelAdapter = {
  type: 'api',
  label: { en: 'API (your own system)', ru: 'API (ваша собственная система)' },
  settingsSchema,
  capabilities: apiChannelCapabilities,

  async prepare(input, existing) {
    const settings = settingsSchema.parse(input);
    return {
      settings,
      credentials: { secret: existing?.credentials.secret ?? randomBytes(32).toString('hex') },
    };
  },

  describe(channel, webhookUrl) {
    return { webhookUrl, secret: channel.credentials.secret, signatureHeader: 'X-Switchboard-Signature' };
  },

  handleWebhook(req: WebhookRequest, channel: ChannelRuntime) {
    const header = req.headers[SIGNATURE_HEADER];
    const secret = channel.credentials.secret;
    if (typeof header !== 'string' || !secret || !safeEqual(header, signApiBody(secret, req.rawBody))) {
      throw new DomainError('invalid_signature', 'Missing or wrong X-Switchboard-Signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new DomainError('invalid_json', 'The request body is not valid JSON');
    }
    const parsed = apiInboundSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new DomainError(
        'validation_error',
        first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'Invalid body',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return {
      events: [
        {
          providerEventId: parsed.data.eventId,
          payload: parsed.data,
          orderKey: parsed.data.contact.externalId,
        },
      ],
      response: { status: 200, body: { status: 'accepted', eventId: parsed.data.eventId } },
    };
  },

  parse(payload): InboundEvent[] {
    const p = apiInboundSchema.parse(payload);
    const ts = p.message.timestamp;
    const text = p.message.text && p.message.text.length > 0 ? p.message.text : null;
    return [
      {
        kind: 'message',
        providerMessageId: p.message.externalId,
        contact: {
          externalId: p.contact.externalId,
          name: p.contact.name,
          phone: p.contact.phone,
          email: p.contact.email,
        },
        contentKind: text ? 'text' : kindOfMime(p.message.attachments[0]?.mimeType),
        text,
        // The link is downloaded into storage (through the SSRF guard, size-limited) like provider
        // media, so operators' browsers load our copy and never the customer-supplied URL.
        attachments: p.message.attachments.map((a) => ({
          kind: kindOfMime(a.mimeType),
          url: a.url,
          providerRef: a.url,
          name: a.name,
          mimeType: a.mimeType,
        })),
        providerTs: ts === undefined ? null : typeof ts === 'number' ? ts : Date.parse(ts),
      },
    ];
  },

  /** An inbound link attachment is its own reference: fetched as given, by the media download job. */
  async resolveMedia(_ctx, _channel, providerRef) {
    return { url: providerRef };
  },

  async send(ctx: AppContext, channel, message) {
    const url = channel.settings.callbackUrl;
    if (typeof url !== 'string') {
      throw new PermanentError('This API channel has no callbackUrl configured', 'no_callback_url');
    }
    const body = {
      event: 'message.created',
      message: {
        id: message.id,
        conversationId: message.conversationId,
        text: message.text,
        createdAt: new Date(message.createdAt).toISOString(),
        // Uploaded files travel as signed links the receiver downloads (valid 24 h), with size and hash.
        attachments: message.attachments.map((a) => ({
          url: a.url,
          name: a.name,
          mimeType: a.mimeType,
          ...(a.stored
            ? {
                size: a.stored.size,
                sha256: a.stored.sha256,
                expiresAt: new Date(a.stored.linkExpiresAt).toISOString(),
              }
            : {}),
        })),
      },
      contact: { externalId: message.contactExternalId },
    };
    const res = await postSignedJson(ctx, url, body, channel.credentials.secret ?? '', message.id);
    const id = res && typeof res === 'object' ? (res as { messageId?: unknown; id?: unknown }) : {};
    const providerId =
      typeof id.messageId === 'string' ? id.messageId : typeof id.id === 'string' ? id.id : null;
    return { providerMessageId: providerId };
  },
};
