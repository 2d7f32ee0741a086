import { templateAttachBody, templateAttachmentParams, templateSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { attachUpload, deleteStoredFiles, detachFiles } from './template-attachments.ts';
import { assertCanWrite, loadVisibleTemplate, templateDto } from './template.service.ts';

/** A template's files: added from the caller's uploads (`POST /uploads`), removed one by one. */
export const templateFileRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.post(
      '/templates/:id/attachments',
      {
        schema: {
          tags: ['templates'],
          summary:
            'Attach an unused upload of yours (POST /uploads) to a template you may change; ' +
            'the upload is consumed. At most TEMPLATE_MAX_ATTACHMENTS (5) files.',
          params: idParams,
          body: templateAttachBody,
          response: { 201: templateSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const dto = await k.transaction().execute(async (tx) => {
          const row = await loadVisibleTemplate(tx, p, req.params.id);
          assertCanWrite(p, row);
          await attachUpload(ctx, tx, p, row, req.body.uploadId);
          return templateDto(tx, row);
        });
        return reply.status(201).send(dto);
      },
    );

    app.delete(
      '/templates/:id/attachments/:attachmentId',
      {
        schema: {
          tags: ['templates'],
          summary: 'Remove a file from a template (its stored bytes are deleted; sent copies stay)',
          params: templateAttachmentParams,
          response: { 200: templateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { dto, keys } = await k.transaction().execute(async (tx) => {
          const row = await loadVisibleTemplate(tx, p, req.params.id);
          assertCanWrite(p, row);
          const keys = await detachFiles(tx, row.id, req.params.attachmentId);
          return { dto: await templateDto(tx, row), keys };
        });
        await deleteStoredFiles(ctx, keys);
        return dto;
      },
    );
  };
