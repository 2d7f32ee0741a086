import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { contentDisposition } from './attachments.routes.ts';
import { fileLinkValid } from './file-link.ts';
import { extensionFor } from './sniff.ts';

/**
 * `GET /files/:id?expires&signature`: a stored attachment for someone outside Switchboard (an API
 * channel's backend) holding a signed, time-limited link. No sign-in: the signature is the permission.
 * Always a download, never rendered, so a file cannot run as a page of this origin.
 */
export const fileLinkRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/files/:id',
      {
        config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
        schema: {
          tags: ['messages'],
          summary:
            'Download a file by the signed link Switchboard put in an API-channel callback (valid 24 hours)',
          security: [],
          params: idParams,
          querystring: z.object({
            expires: z.coerce.number().int().describe('epoch seconds the link stops working'),
            signature: z.string().max(100),
          }),
          // The bytes in the file's own type: documented as a file, not as a JSON shape.
          produces: ['*/*'],
          response: { 200: z.unknown().describe('The file bytes'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { expires, signature } = req.query;
        if (!fileLinkValid(ctx, req.params.id, expires, signature)) {
          throw new AppError('forbidden', 'This download link is invalid or has expired');
        }
        const att = await ctx.db.kysely
          .selectFrom('attachments')
          .select(['id', 'name', 'mime_type', 'storage_key', 'sha256', 'size'])
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        const stream = att?.storage_key ? await ctx.files.get(att.storage_key) : undefined;
        if (!att || !stream) throw notFound('File');
        const mime = att.mime_type ?? 'application/octet-stream';
        reply
          .header('content-type', mime)
          .header(
            'content-disposition',
            contentDisposition('attachment', att.name ?? `attachment-${att.id}.${extensionFor(mime)}`),
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600');
        if (att.size !== null) reply.header('content-length', String(att.size));
        if (att.sha256) reply.header('etag', `"${att.sha256}"`);
        return reply.send(stream);
      },
    );
  };
