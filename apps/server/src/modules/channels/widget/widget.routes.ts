import { createHash } from 'node:crypto';
import { kindOfMime } from '../../messages/content-kind.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { newId, randomToken } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { AppError, forbidden, notFound } from '../../../http/errors.ts';
import { errorResponses, errorSchema } from '../../../http/schemas.ts';
import { storeProviderEvents } from '../../inbound/inbound-store.ts';
import { contentDisposition } from '../../media/attachments.routes.ts';
import { extensionFor, isInlineSafe, sniffMime } from '../../media/sniff.ts';
import { VisitorRateLimit } from './visitor-rate-limit.ts';
import {
  assertUploadQuota,
  claimVisitorUploads,
  ipHash,
  recordUpload,
  uploadQuotaOf,
} from './widget-uploads.service.ts';
import {
  type VisitorClaims,
  identityHashValid,
  signUploadToken,
  signVisitorToken,
  verifyUploadToken,
  verifyVisitorToken,
} from './visitor-token.ts';
import { widgetAvailability } from './widget-center.ts';
import { RECEIPT_STATUSES, type WidgetMessagePayload, visitorMessageId } from './widget-payload.ts';
import { MAX_UPLOAD_BYTES, type WidgetSettings, originAllowed, widgetSettingsOf } from './widget-settings.ts';
import {
  type Visitor,
  listVisitorMessages,
  recordReceipts,
  visitorContactId,
} from './widget-visitor.service.ts';
import { VISIBLE_OUT_STATUSES, visitorMessageSchema } from './widget.dto.ts';

export const VISITOR_TOKEN_HEADER = 'x-visitor-token';
export const MAX_TEXT = 10_000;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': `content-type, ${VISITOR_TOKEN_HEADER}, x-file-name`,
  'access-control-max-age': '600',
};

/**
 * Requests per minute from one IP address. Generous: a whole office (or every visitor, when Switchboard
 * sits behind a proxy that is not trusted for X-Forwarded-For) may share one address, and every page
 * view loads the config and resumes the session. Per-visitor limits below are the tight ones.
 */
const PER_IP = { pageView: 600, read: 600, write: 300, upload: 60 };

const channelParams = z.object({ channelId: z.string().min(1).max(64) });
const tags = ['widget (visitors)'];
const security: never[] = [];

/** Removes what PostgreSQL text cannot hold (NUL) and what only hides text (other C0 controls). */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => clean(s).trim())
    .optional();

const profileFields = {
  name: optionalText(200),
  email: z
    .string()
    .trim()
    .max(320)
    .refine((s) => s === '' || z.email().safeParse(s).success, 'not an e-mail address')
    .optional(),
  phone: z
    .string()
    .trim()
    .max(50)
    .refine((s) => s === '' || /^\+?[0-9][0-9 ()-]{3,30}$/.test(s), 'not a phone number')
    .optional(),
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

/**
 * The visitor-facing API of site chat widgets, `/api/v1/widget/<channelId>/...`. Public and callable
 * from any site (CORS `*`, no cookies): a visitor is identified by a signed token in the
 * `X-Visitor-Token` header, which the widget keeps in the host page's local storage. Everything here is
 * hostile input: sizes are bounded, requests are rate-limited per IP and per visitor, and visitor
 * messages enter the same durable pipeline as provider webhooks (raw event + job, then 2xx).
 */
export const widgetVisitorRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const secret = ctx.config.secret;
    const limits = {
      send: new VisitorRateLimit(ctx.clock, 30, 60_000),
      upload: new VisitorRateLimit(ctx.clock, 10, 60_000),
      receipts: new VisitorRateLimit(ctx.clock, 120, 60_000),
    };
    const perIp = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });
    const uploadLimit = (s: WidgetSettings) => Math.min(s.maxUploadBytes, ctx.config.mediaMaxBytes);

    app.addHook('onSend', async (_req, reply, payload) => {
      reply.headers(CORS_HEADERS);
      reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
    app.options('/*', { schema: { hide: true } }, async (_req, reply) => reply.status(204).send());

    async function channelFor(req: FastifyRequest, channelId: string) {
      const row = await k
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', channelId)
        .where('type', '=', 'widget')
        .executeTakeFirst();
      if (row?.active !== 1) throw notFound('Chat');
      const settings = widgetSettingsOf(JSON.parse(row.settings));
      // Not a barrier against scripts (they can send any Origin); it keeps the chat off other sites.
      if (!originAllowed(settings, req.headers.origin))
        throw forbidden('This chat is not enabled on this site');
      return { row, settings };
    }

    async function visitorFor(req: FastifyRequest, channelId: string) {
      const c = await channelFor(req, channelId);
      const token = req.headers[VISITOR_TOKEN_HEADER];
      const claims = typeof token === 'string' ? verifyVisitorToken(secret, token, c.row.id) : null;
      if (!claims)
        throw new AppError('unauthorized', 'Missing or invalid visitor token; start a session first');
      const visitor: Visitor = { channel: c.row, externalId: claims.v };
      return { ...c, claims, visitor };
    }

    app.get(
      '/:channelId/config',
      {
        config: perIp(PER_IP.pageView),
        schema: {
          tags,
          security,
          summary: 'What the widget shows before anything else: texts, colours, pre-chat form, online state',
          params: channelParams,
          response: {
            200: z.object({
              channelId: z.string(),
              name: z.string(),
              title: z.record(z.string(), z.string()),
              welcome: z.record(z.string(), z.string()),
              color: z.string(),
              position: z.enum(['right', 'left']),
              preChatForm: z.object({
                enabled: z.boolean(),
                name: z.string(),
                email: z.string(),
                phone: z.string(),
              }),
              requireIdentity: z.boolean(),
              maxUploadBytes: z.number(),
              online: z.boolean().nullable(),
              offlineReason: z.string().nullable(),
              nextOpenAt: z.number().nullable(),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { row, settings } = await channelFor(req, req.params.channelId);
        const availability = await widgetAvailability(ctx, row).catch((err) => {
          req.log.warn({ err }, 'widget: center state unavailable');
          return null;
        });
        return {
          channelId: row.id,
          name: row.name,
          title: settings.title as Record<string, string>,
          welcome: settings.welcome as Record<string, string>,
          color: settings.color,
          position: settings.position,
          preChatForm: settings.preChatForm,
          requireIdentity: settings.requireIdentity,
          maxUploadBytes: uploadLimit(settings),
          online: availability?.online ?? null,
          offlineReason: availability && !availability.online ? availability.reason : null,
          nextOpenAt: availability?.nextOpenAt ?? null,
        };
      },
    );

    app.post(
      '/:channelId/session',
      {
        config: perIp(PER_IP.pageView),
        bodyLimit: 16_384,
        schema: {
          tags,
          security,
          summary:
            'Start or resume a visitor session. With userId + userHash (hex HMAC-SHA256 of userId with the ' +
            "channel's identity secret) the visitor is that user on every device; a wrong hash is refused.",
          params: channelParams,
          body: z.object({
            token: z.string().max(4096).optional().describe('the token this browser already holds'),
            userId: z.string().trim().min(1).max(200).optional(),
            userHash: z.string().trim().max(128).optional(),
            ...profileFields,
          }),
          response: {
            200: z.object({
              token: z.string(),
              visitorId: z.string(),
              identified: z.boolean(),
              profile: z.object({
                name: z.string().nullable(),
                email: z.string().nullable(),
                phone: z.string().nullable(),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { row, settings } = await channelFor(req, req.params.channelId);
        const b = req.body;
        const held = b.token ? verifyVisitorToken(secret, b.token, row.id) : null;
        let externalId: string;
        if (b.userId !== undefined) {
          const identitySecret = ctx.secrets.openJson<Record<string, string>>(
            row.credentials_enc,
          ).identitySecret;
          if (!identitySecret || !b.userHash || !identityHashValid(identitySecret, b.userId, b.userHash)) {
            throw new AppError('invalid_signature', 'The user hash does not match this user id');
          }
          externalId = `u:${b.userId}`;
        } else if (held) {
          externalId = held.v;
        } else {
          if (settings.requireIdentity) {
            throw new AppError('unauthorized', 'This chat is available to signed-in users only');
          }
          externalId = `a:${randomToken(18)}`;
        }
        const keep = held?.v === externalId ? held : undefined;
        const pick = (given: string | undefined, old: string | undefined) =>
          given !== undefined && given !== '' ? given : old;
        const claims: VisitorClaims = {
          c: row.id,
          v: externalId,
          n: pick(b.name, keep?.n),
          e: pick(b.email, keep?.e),
          p: pick(b.phone, keep?.p),
          iat: ctx.clock.now(),
        };
        return {
          token: signVisitorToken(secret, claims),
          visitorId: externalId,
          identified: externalId.startsWith('u:'),
          profile: { name: claims.n ?? null, email: claims.e ?? null, phone: claims.p ?? null },
        };
      },
    );

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
          response: {
            200: z.object({ items: z.array(visitorMessageSchema), more: z.boolean() }),
            ...errorResponses,
          },
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
          body: z.object({
            clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 characters of A-Z a-z 0-9 _ -'),
            text: z.string().max(MAX_TEXT).optional(),
            attachments: z.array(z.string().max(4096)).max(10).default([]).describe('upload tokens'),
            pageUrl: z.string().max(2000).optional(),
          }),
          response: {
            202: z.object({ status: z.literal('accepted'), clientMessageId: z.string() }),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { row, settings, claims, visitor } = await visitorFor(req, req.params.channelId);
        limits.send.hit(`${row.id}:${visitor.externalId}`);
        requirePreChat(settings, claims);
        const b = req.body;
        const text = b.text === undefined ? '' : clean(b.text).trim();
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
          body: z.object({
            status: z.enum(RECEIPT_STATUSES),
            messageIds: z.array(z.string().max(64)).min(1).max(200),
          }),
          response: {
            200: z.object({ stored: z.number(), pending: z.array(z.string()) }),
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
              201: z.object({
                token: z.string(),
                name: z.string().nullable(),
                mimeType: z.string(),
                size: z.number(),
                kind: z.string(),
              }),
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
          limits.upload.hit(`${row.id}:${visitor.externalId}`);
          const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          if (bytes.length === 0) throw new AppError('validation_error', 'The file is empty');
          const max = uploadLimit(settings);
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

function fileName(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header === '') return null;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    name = header;
  }
  const base = clean(name.split(/[\\/]/).pop() ?? '').trim();
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
