import { createHash } from 'node:crypto';
import { stripControlChars, widgetUploadSchema } from '@switchboard/shared';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { errorResponses, errorSchema } from '../../../http/schemas.ts';
import { contentDisposition } from '../../media/attachments.routes.ts';
import { extensionFor, isInlineSafe, sniffMime } from '../../media/sniff.ts';
import { kindOfMime } from '../../messages/content-kind.ts';
import { VisitorRateLimit } from './visitor-rate-limit.ts';
import { signUploadToken } from './visitor-token.ts';
import { PER_IP, channelParams, perIp, security, tags, uploadLimit, widgetAccess } from './widget-access.ts';
import { MAX_UPLOAD_BYTES } from './widget-settings.ts';
import { assertUploadQuota, ipHash, recordUpload, uploadQuotaOf } from './widget-uploads.service.ts';
import { type Visitor, visitorContactId } from './widget-visitor.service.ts';
import { VISIBLE_OUT_STATUSES } from './widget.dto.ts';

/** Files in the chat: a visitor's uploads (raw bytes, sniffed, under quotas) and the conversation's files. */
export const widgetFileRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const secret = ctx.config.secret;
    const { visitorFor } = widgetAccess(ctx);
    const uploadLimiter = new VisitorRateLimit(ctx.clock, 10, 60_000);

    // Raw bytes: only this route parses arbitrary content types.
    await app.register(async (plain) => {
      const up = plain.withTypeProvider<ZodTypeProvider>();
      up.removeAllContentTypeParsers();
      up.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      up.post(
        '/:channelId/uploads',
        {
          config: perIp(PER_IP.upload),
          bodyLimit: Math.min(ctx.config.mediaMaxBytes, MAX_UPLOAD_BYTES),
          schema: {
            tags,
            security,
            summary:
              'Upload a file (raw body; X-File-Name URI-encoded). Answers a token to pass in a message’s ' +
              'attachments. The type is sniffed from the bytes. Quotas per client address and day ' +
              '(429 `upload_ip_quota_exceeded`, details.retryAfterSeconds) and per channel storage ' +
              '(413 `upload_channel_quota_exceeded`); files not sent in a message within ' +
              'UPLOAD_UNUSED_TTL_HOURS are deleted.',
            params: channelParams,
            response: {
              201: widgetUploadSchema,
              ...errorResponses,
              413: errorSchema.describe(
                'body_too_large: over the channel’s maxUploadBytes; upload_channel_quota_exceeded: the ' +
                  'channel’s storage for visitor files is full',
              ),
            },
          },
        },
        async (req, reply) => {
          const { row, settings, visitor } = await visitorFor(req, req.params.channelId);
          uploadLimiter.hit(`${row.id}:${visitor.externalId}`);
          const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          if (bytes.length === 0) throw new AppError('validation_error', 'The file is empty');
          const max = uploadLimit(ctx, settings);
          if (bytes.length > max) {
            throw new AppError('body_too_large', `Files up to ${max} bytes can be sent in this chat`);
          }
          const ip = ipHash(secret, req.ip);
          await assertUploadQuota(ctx, row.id, uploadQuotaOf(ctx, settings), ip, bytes.length);
          const mime = sniffMime(bytes, req.headers['content-type']);
          const name = fileName(req.headers['x-file-name']);
          const key = `widget/${row.account_id}/${row.id}/${newId(ctx.clock.now())}`;
          await ctx.files.put(key, bytes);
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          const id = await recordUpload(ctx, {
            accountId: row.account_id,
            channelId: row.id,
            visitorId: visitor.externalId,
            ipHash: ip,
            size: bytes.length,
            key,
          }).catch(async (err) => {
            await ctx.files.delete(key).catch(() => {});
            throw err;
          });
          const token = signUploadToken(secret, {
            id,
            c: row.id,
            v: visitor.externalId,
            key,
            name,
            mime,
            size: bytes.length,
            sha256,
          });
          return reply.status(201).send({
            token,
            name,
            mimeType: mime,
            size: bytes.length,
            kind: kindOfMime(mime, { safeImagesOnly: true }),
          });
        },
      );
    });

    app.get(
      '/:channelId/attachments/:id',
      {
        config: perIp(PER_IP.read),
        schema: {
          tags,
          security,
          summary: 'A file of the visitor’s conversation (needs the visitor token)',
          params: channelParams.extend({ id: z.string().min(1).max(64) }),
          // The bytes in the file's own type: documented as a file, not as a JSON shape.
          produces: ['*/*'],
          response: { 200: z.unknown().describe('The file bytes'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { row, visitor } = await visitorFor(req, req.params.channelId);
        const att = await visibleAttachment(row, visitor, req.params.id);
        const stream = att?.storage_key ? await ctx.files.get(att.storage_key) : undefined;
        if (!att || !stream) throw notFound('Attachment');
        return sendFile(reply, att, stream);
      },
    );

    async function visibleAttachment(row: Row<'channels'>, visitor: Visitor, id: string) {
      const contactId = await visitorContactId(ctx, visitor);
      if (!contactId) return undefined;
      return k
        .selectFrom('attachments')
        .innerJoin('messages', 'messages.id', 'attachments.message_id')
        .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
        .selectAll('attachments')
        .where('attachments.id', '=', id)
        .where('attachments.account_id', '=', row.account_id)
        .where('messages.channel_id', '=', row.id)
        .where('messages.private', '=', 0)
        .where('conversations.contact_id', '=', contactId)
        .where((eb) =>
          eb.or([
            eb('messages.direction', '=', 'in'),
            // 'queued' too: the widget gets an operator's file just before the send job records 'sent',
            // and may ask for it in between.
            eb('messages.delivery_status', 'in', [...VISIBLE_OUT_STATUSES, 'queued']),
          ]),
        )
        .executeTakeFirst();
    }
  };

function fileName(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header === '') return null;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    name = header;
  }
  const base = stripControlChars(name.split(/[\\/]/).pop() ?? '').trim();
  return base === '' ? null : base.slice(0, 200);
}

function sendFile(reply: FastifyReply, att: Row<'attachments'>, stream: NodeJS.ReadableStream) {
  const mime = att.mime_type ?? 'application/octet-stream';
  const name = att.name ?? `attachment-${att.id}.${extensionFor(mime)}`;
  reply
    .header('content-type', mime)
    .header('content-disposition', contentDisposition(isInlineSafe(mime) ? 'inline' : 'attachment', name))
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('cache-control', 'private, max-age=3600');
  if (att.sha256) reply.header('etag', `"${att.sha256}"`);
  return reply.send(stream);
}
