import {
  stripControlChars,
  visitorMessagesSchema,
  widgetMessageAcceptedSchema,
  widgetMessageBody,
  widgetReceiptsBody,
  widgetReceiptsSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { AppError } from '../../../http/errors.ts';
import { errorResponses } from '../../../http/schemas.ts';
import { storeProviderEvents } from '../../inbound/inbound-store.ts';
import { kindOfMime } from '../../messages/content-kind.ts';
import { VisitorRateLimit } from './visitor-rate-limit.ts';
import { type VisitorClaims, verifyUploadToken } from './visitor-token.ts';
import { PER_IP, channelParams, perIp, security, tags, widgetAccess } from './widget-access.ts';
import { type WidgetMessagePayload, visitorMessageId } from './widget-payload.ts';
import type { WidgetSettings } from './widget-settings.ts';
import { claimVisitorUploads } from './widget-uploads.service.ts';
import { listVisitorMessages, recordReceipts } from './widget-visitor.service.ts';

/** The visitor's conversation: history and catch-up, sending (durably, like a webhook) and receipts. */
export const widgetMessageRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const secret = ctx.config.secret;
    const { visitorFor } = widgetAccess(ctx);
    const limits = {
      send: new VisitorRateLimit(ctx.clock, 30, 60_000),
      receipts: new VisitorRateLimit(ctx.clock, 120, 60_000),
    };

    app.get(
      '/:channelId/messages',
      {
        config: perIp(PER_IP.read),
        schema: {
          tags,
          security,
          summary:
            'The visitor’s history (latest first page), or with `since` every message changed since then ' +
            '(reconnect catch-up; page on with since + afterId while `more`)',
          params: channelParams,
          querystring: z.object({
            since: z.coerce.number().int().min(0).optional(),
            afterId: z.string().max(64).optional(),
          }),
          response: { 200: visitorMessagesSchema, ...errorResponses },
        },
      },
      async (req) => {
        const { visitor } = await visitorFor(req, req.params.channelId);
        return listVisitorMessages(ctx, visitor, req.query);
      },
    );

    app.post(
      '/:channelId/messages',
      {
        config: perIp(PER_IP.write),
        bodyLimit: 131_072,
        schema: {
          tags,
          security,
          summary:
            'Send a visitor message (stored durably, then 202; the same clientMessageId never duplicates)',
          params: channelParams,
          body: widgetMessageBody,
          response: {
            202: widgetMessageAcceptedSchema,
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { row, settings, claims, visitor } = await visitorFor(req, req.params.channelId);
        limits.send.hit(`${row.id}:${visitor.externalId}`);
        requirePreChat(settings, claims);
        const b = req.body;
        const text = b.text === undefined ? '' : stripControlChars(b.text).trim();
        const uploadIds: string[] = [];
        const attachments = b.attachments.map((t) => {
          const u = verifyUploadToken(secret, t, row.id, visitor.externalId);
          if (!u) throw new AppError('validation_error', 'attachments: unknown or foreign upload');
          if (u.id) uploadIds.push(u.id);
          return {
            key: u.key,
            name: u.name,
            mimeType: u.mime,
            size: u.size,
            sha256: u.sha256,
            kind: kindOfMime(u.mime, { safeImagesOnly: true }),
          };
        });
        if (text === '' && attachments.length === 0) {
          throw new AppError('validation_error', 'text: write something or attach a file');
        }
        const payload: WidgetMessagePayload = {
          type: 'message',
          externalId: visitor.externalId,
          clientMessageId: b.clientMessageId,
          contact: {
            ...(claims.n ? { name: claims.n } : {}),
            ...(claims.e ? { email: claims.e } : {}),
            ...(claims.p ? { phone: claims.p } : {}),
          },
          text: text === '' ? null : text,
          attachments,
          pageUrl: safePageUrl(b.pageUrl),
          ...(b.buttonId && text !== '' ? { buttonId: b.buttonId } : {}),
          sentAt: ctx.clock.now(),
        };
        await storeProviderEvents(
          ctx,
          row,
          [
            {
              providerEventId: `msg:${visitorMessageId(visitor.externalId, b.clientMessageId)}`,
              payload,
              orderKey: visitor.externalId,
            },
          ],
          (tx) => claimVisitorUploads(tx, row.id, visitor.externalId, uploadIds, payload.sentAt),
        );
        return reply.status(202).send({ status: 'accepted' as const, clientMessageId: b.clientMessageId });
      },
    );

    app.post(
      '/:channelId/receipts',
      {
        config: perIp(PER_IP.read),
        bodyLimit: 32_768,
        schema: {
          tags,
          security,
          summary: 'Tell that operator messages reached the widget (delivered) or were seen (read)',
          params: channelParams,
          body: widgetReceiptsBody,
          response: {
            200: widgetReceiptsSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { row, visitor } = await visitorFor(req, req.params.channelId);
        limits.receipts.hit(`${row.id}:${visitor.externalId}`);
        const r = await recordReceipts(ctx, visitor, req.body.status, req.body.messageIds);
        return { stored: r.stored.length, pending: r.queued };
      },
    );
  };

function safePageUrl(u: string | undefined): string | null {
  if (!u) return null;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href.slice(0, 2000) : null;
  } catch {
    return null;
  }
}

function requirePreChat(s: WidgetSettings, c: VisitorClaims): void {
  if (!s.preChatForm.enabled) return;
  const missing = (
    [
      ['name', s.preChatForm.name, c.n],
      ['email', s.preChatForm.email, c.e],
      ['phone', s.preChatForm.phone, c.p],
    ] as const
  )
    .filter(([, mode, value]) => mode === 'required' && !value)
    .map(([field]) => field);
  if (missing.length > 0) {
    throw new AppError('validation_error', `Fill in the form first: ${missing.join(', ')}`, { missing });
  }
}
