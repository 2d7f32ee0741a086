import multipart from '@fastify/multipart';
import { normaliseText } from '@switchboard/shared';
import { uploadSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses, errorSchema } from '../../http/schemas.ts';
import { storeUpload, toUploadDto } from './upload.service.ts';

/** Multipart failures as stable, readable errors (the plugin's own are bare 406/413s). */
function multipartError(err: unknown, max: number): AppError | undefined {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('body_too_large', `The file is larger than the ${max}-byte limit`, {
        maxBytes: max,
      });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(
        'unsupported_media_type',
        'Send the file as multipart/form-data with one file part',
      );
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('bad_request', 'Send exactly one file per upload');
    default:
      break;
  }
  if (err instanceof Error && /multipart|boundary|part|unexpected end/i.test(err.message)) {
    return new AppError('bad_request', `Malformed multipart body: ${err.message}`);
  }
  return undefined;
}

/**
 * `POST /uploads`: one file from an operator (the composer's attachments), stored until a reply refers
 * to it by id. Only this scope parses multipart; every other route still answers 415 to it.
 */
export const uploadRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const max = ctx.config.mediaMaxBytes;
    await app.register(multipart, {
      limits: { fileSize: max, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
    });

    app.post(
      '/uploads',
      {
        // The body schema documents the multipart form for OpenAPI only: the handler reads the stream.
        validatorCompiler: () => (value) => ({ value }),
        schema: {
          tags: ['messages'],
          summary:
            'Upload a file to attach to a reply or note (multipart/form-data, one file part, up to ' +
            'MEDIA_MAX_BYTES). Answers an id for `attachments: [{uploadId}]`. The type is sniffed from ' +
            'the bytes; unknown binaries are refused (415). Only the uploader may attach it; unused uploads are ' +
            'deleted after UPLOAD_UNUSED_TTL_HOURS (24).',
          consumes: ['multipart/form-data'],
          body: z.object({
            file: z.string().meta({ format: 'binary' }).describe('the file: one part, any field name'),
          }),
          response: {
            201: uploadSchema,
            ...errorResponses,
            413: errorSchema.describe('body_too_large: the file exceeds MEDIA_MAX_BYTES (details.maxBytes)'),
            415: errorSchema.describe('unsupported_media_type: not multipart, or a type that cannot be sent'),
          },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        let file: { bytes: Buffer; declaredType: string; fileName: string } | undefined;
        try {
          // Every part is read, so a second file is noticed (the parser's files limit) rather than ignored.
          for await (const part of req.parts()) {
            if (part.type !== 'file') continue;
            file = {
              bytes: await part.toBuffer(),
              declaredType: part.mimetype,
              fileName: normaliseText(part.filename),
            };
          }
        } catch (err) {
          throw multipartError(err, max) ?? err;
        }
        if (!file) throw new AppError('validation_error', 'The request has no file part');
        const row = await storeUpload(ctx, p, file);
        return reply.status(201).send(toUploadDto(row));
      },
    );
  };
