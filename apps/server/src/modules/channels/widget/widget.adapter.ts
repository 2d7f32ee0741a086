import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../../app-context.ts';
import { notFound } from '../../../lib/domain-error.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import type { ChannelAdapter, InboundEvent } from '../channel-adapter.ts';
import { WIDGET_TOPIC, type WidgetBusMessage } from './widget-bus.ts';
import { visitorMessageId, widgetPayload } from './widget-payload.ts';
import { widgetSettingsSchema } from './widget-settings.ts';
import { toVisitorMessages } from './widget.dto.ts';
import { widgetCapabilities } from './widget-capabilities.ts';
import { widgetOperatorRoutes } from './widget-operator.routes.ts';
import { widgetPublicRoutes } from './widget.plugin.ts';

/** The snippet a site pastes before `</body>`. */
export function widgetSnippet(origin: string, channelId: string): string {
  return `<script src="${origin}/widget.js" data-channel="${channelId}" async></script>`;
}

/**
 * The site chat widget. Visitors post to Switchboard's own visitor API, which stores their messages as
 * this channel's provider events (same pipeline as every webhook). "Sending" a reply means handing it to
 * the visitor's socket on whichever node holds it; the message stays fetchable for catch-up, and the
 * widget's acknowledgement and reading come back as delivered/read receipts.
 */
export const widgetAdapter: ChannelAdapter = {
  type: 'widget',
  label: { en: 'Chat widget for your website', ru: 'Виджет чата для вашего сайта' },
  settingsSchema: widgetSettingsSchema,
  capabilities: widgetCapabilities,
  routes: { api: widgetOperatorRoutes, public: widgetPublicRoutes },
  normalizeAddress: () => ({
    ok: false,
    code: 'not_importable',
    message: 'website chat visitors get their ids from the widget; they cannot be imported',
  }),

  async prepare(input, existing) {
    return {
      settings: widgetSettingsSchema.parse(input),
      credentials: {
        // Signs logged-in users' ids on the business's backend (identify); never leaves the admin screen.
        identitySecret: existing?.credentials.identitySecret ?? randomBytes(32).toString('hex'),
      },
    };
  },

  describe(channel, webhookUrl) {
    const origin = new URL(webhookUrl).origin;
    return {
      snippet: widgetSnippet(origin, channel.id),
      scriptUrl: `${origin}/widget.js`,
      identitySecret: channel.credentials.identitySecret,
      identityHashFormula:
        'hex HMAC-SHA256(identitySecret, userId), passed as data-user-hash or Switchboard.identify',
    };
  },

  handleWebhook() {
    // Visitors reach the widget through /api/v1/widget/<channelId>/..., never through /webhooks.
    throw notFound('Webhook');
  },

  parse(payload): InboundEvent[] {
    const p = widgetPayload.parse(payload);
    if (p.type === 'receipt') {
      return p.messageIds.map((id) => ({ kind: 'status', providerMessageId: id, status: p.status }));
    }
    const first = p.attachments[0];
    return [
      {
        kind: 'message',
        providerMessageId: visitorMessageId(p.externalId, p.clientMessageId),
        contact: {
          externalId: p.externalId,
          name: p.contact.name ?? null,
          email: p.contact.email ?? null,
          phone: p.contact.phone ?? null,
        },
        contentKind: p.text ? 'text' : (first?.kind ?? 'text'),
        text: p.text,
        attachments: p.attachments.map((a) => ({
          kind: a.kind,
          name: a.name ?? undefined,
          mimeType: a.mimeType,
          size: a.size,
          storageKey: a.key,
          sha256: a.sha256,
        })),
        providerTs: p.sentAt,
        meta:
          p.pageUrl || p.buttonId
            ? {
                ...(p.pageUrl ? { pageUrl: p.pageUrl } : {}),
                ...(p.buttonId ? { buttonId: p.buttonId } : {}),
              }
            : undefined,
      },
    ];
  },

  async send(ctx: AppContext, channel, message) {
    const row = await ctx.db.kysely
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', message.id)
      .where('account_id', '=', channel.accountId)
      .executeTakeFirst();
    if (!row) throw new PermanentError('The message no longer exists', 'not_found');
    const [dto] = await toVisitorMessages(ctx.db.kysely, [{ ...row, delivery_status: 'sent' }]);
    const note: WidgetBusMessage = {
      kind: 'message',
      channelId: channel.id,
      externalId: message.contactExternalId,
      message: dto!,
    };
    try {
      await ctx.bus.publish(WIDGET_TOPIC, note);
    } catch (err) {
      throw new RetryableError(`Could not reach the widget gateway: ${(err as Error).message}`);
    }
    // Our own id is the "provider" id, so the widget's receipts name the message directly.
    return { providerMessageId: message.id };
  },
};
