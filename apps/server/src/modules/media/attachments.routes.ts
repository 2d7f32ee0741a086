import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { proxiedLink } from './proxied-link.ts';
import { safeDownload } from './safe-download.ts';
import { extensionFor, isInlineSafe, sniffMime } from './sniff.ts';

/**
 * `GET /attachments/:id`: a stored file, only to signed-in users of its account who may see its
 * conversation. The type is the sniffed one, `nosniff` stops browsers from guessing another, and
 * anything a browser could execute is sent as a download inside a sandboxing CSP.
 */
export const attachmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/attachments/:id',
      {
        schema: {
          tags: ['messages'],
          summary: 'Download an attachment stored by Switchboard (the file bytes)',
          params: idParams,
          // The bytes in the file's own type: documented as a file, not as a JSON shape.
          produces: ['*/*'],
          response: { 200: z.unknown().describe('The file bytes'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const att = await ctx.db.kysely
          .selectFrom('attachments')
          .innerJoin('messages', 'messages.id', 'attachments.message_id')
          .select([
            'attachments.id',
            'attachments.name',
            'attachments.mime_type',
            'attachments.storage_key',
            'attachments.sha256',
            'attachments.source_url',
            'attachments.download_status',
            'messages.conversation_id',
            'messages.direction',
          ])
          .where('attachments.id', '=', req.params.id)
          .where('attachments.account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!att) throw notFound('Attachment');
        await loadVisibleConversation(ctx, p, att.conversation_id).catch(() => {
          throw notFound('Attachment');
        });
        let body: NodeJS.ReadableStream | Buffer | undefined = att.storage_key
          ? await ctx.files.get(att.storage_key)
          : undefined;
        let mime = att.mime_type ?? 'application/octet-stream';
        const link = proxiedLink(att);
        if (!body && link) {
          // A file the provider lets us only link to: fetched for this request through the SSRF guard,
          // never stored, so the operator's browser still loads only our origin.
          const dl = await safeDownload(link, {
            maxBytes: ctx.config.mediaMaxBytes,
            allow: ctx.config.allowPrivateUrls,
          }).catch(() => {
            throw new AppError(
              'service_unavailable',
              'The file could not be fetched from where the provider keeps it',
            );
          });
          body = dl.bytes;
          mime = sniffMime(dl.bytes, att.mime_type ?? dl.contentType);
        }
        if (!body) throw notFound('Attachment file (not downloaded yet)');
        const name = att.name ?? `attachment-${att.id}.${extensionFor(mime)}`;
        reply
          .header('content-type', mime)
          .header(
            'content-disposition',
            contentDisposition(isInlineSafe(mime) ? 'inline' : 'attachment', name),
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600');
        if (att.sha256) reply.header('etag', `"${att.sha256}"`);
        return reply.send(body);
      },
    );
  };

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name (RFC 5987); no header injection possible. */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const clean = name.replace(/[\r\n\\/]/g, '_').slice(0, 200);
  const fallback = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
