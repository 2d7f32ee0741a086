import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  type ImportFormat,
  type ImportMapping,
  PREVIEW_ROWS,
  XLSX_TYPE,
  importJobSchema,
  importJsonBody,
  importJsonDocumentedBody,
  importOptionsSchema,
  jsonImportContactSchema,
  importMappingSchema,
  importPreviewSchema,
  importResultSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses, errorSchema } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { MAX_IMPORT_ROWS, importContacts } from './contact-import.service.ts';
import { startImport, toImportJob } from './import-job.service.ts';
import { IMPORT_FILE_MAX_BYTES, type Upload, discardUpload, storeUpload } from './import-upload.ts';
import { importRecords } from './import-records.ts';
import { IMPORT_FIELDS, type ImportField, type RawRow, guessTarget } from './import-row.ts';
import { importTargets } from './import-targets.ts';
import { importJobRoutes } from './import-jobs.routes.ts';

/** A JSON import's limit: 10,000 rows of long names, several labels and CRM ids. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

function invalid(where: string, error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new AppError('validation_error', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

function parseOptions(where: string, value: unknown) {
  const r = importOptionsSchema.safeParse(value);
  if (!r.success) throw invalid(where, r.error);
  return r.data;
}

function isStream(body: unknown): body is Readable {
  return !!body && typeof (body as Readable).pipe === 'function';
}

function parseMapping(where: string, text: string | undefined) {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('validation_error', `${where}.mapping: not JSON`);
  }
  const r = importMappingSchema.safeParse(value);
  if (!r.success) throw invalid(`${where}.mapping`, r.error);
  // The schema checked each target's shape (a field, or attributes.<key>).
  return r.data as ImportMapping;
}

/** XLSX by its media type or name; anything else is read as CSV. */
function formatOf(mediaType: string | undefined, fileName?: string): ImportFormat {
  if (mediaType?.split(';')[0]?.trim().toLowerCase() === XLSX_TYPE) return 'xlsx';
  return fileName?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

type Stored = {
  upload: Upload;
  format: ImportFormat;
  fileName: string | null;
  fields: Record<string, string>;
};

/**
 * The uploaded file, streamed into the file store: a raw CSV or XLSX body, or a form's one file part
 * (its options as fields, before or after the file).
 */
async function storeBody(ctx: AppContext, req: FastifyRequest, accountId: string): Promise<Stored> {
  if (!req.isMultipart())
    return {
      upload: await storeUpload(ctx, accountId, req.body as Readable),
      format: formatOf(req.headers['content-type']),
      fileName: null,
      fields: {},
    };
  let file: Omit<Stored, 'fields'> | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        file = {
          upload: await storeUpload(ctx, accountId, part.file),
          format: formatOf(part.mimetype, part.filename),
          fileName: part.filename?.slice(0, 200) || null,
        };
        if (part.file.truncated) {
          await discardUpload(ctx, file.upload);
          throw new AppError('body_too_large', `The file is larger than ${IMPORT_FILE_MAX_BYTES} bytes`, {
            maxBytes: IMPORT_FILE_MAX_BYTES,
          });
        }
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    await discardUpload(ctx, file?.upload);
    if (err instanceof AppError || (err as { code?: string }).code === 'body_too_large') throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError(
        'bad_request',
        'Send one file part and the fields source, optIn, channelId, mapping',
      );
    throw new AppError('bad_request', `Malformed multipart body: ${(err as Error).message}`);
  }
  if (!file) throw new AppError('validation_error', 'The form has no file part (the CSV or XLSX)');
  return { ...file, fields };
}

/** `POST /contacts/import`: contacts from a CRM export (CSV) or another system (JSON). */
export const contactImportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: IMPORT_FILE_MAX_BYTES, files: 1, fields: 6, parts: 7, fieldSize: 20_000 },
    });
    // Files are streamed to the file store as they arrive, never held whole (the job reads them back).
    app.addContentTypeParser([...CSV_TYPES, XLSX_TYPE], (_req, payload, done) => done(null, payload));
    await app.register(importJobRoutes(ctx));

    app.post(
      '/contacts/import/preview',
      {
        validatorCompiler: () => (value) => ({ value }),
        schema: {
          tags: ['contacts'],
          summary: 'Preview a file before importing it: its columns, what each is read as, the first rows',
          description:
            'The same file bodies as `POST /contacts/import` (CSV or XLSX, raw or in a form); nothing is ' +
            'imported. `targets` lists what a column can be mapped to (the contact fields and the attribute ' +
            "keys the account's contacts carry); send the choice as the import's `mapping`.",
          consumes: ['text/csv', XLSX_TYPE, 'multipart/form-data'],
          response: { 200: importPreviewSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        if (!req.isMultipart() && !isStream(req.body))
          throw new AppError(
            'unsupported_media_type',
            'Send the file as text/csv, XLSX or multipart/form-data',
          );
        const stored = await storeBody(ctx, req, p.accountId);
        try {
          const data = await ctx.files.get(stored.upload.key);
          const rows: string[][] = [];
          if (data)
            for await (const r of importRecords(data, stored.format)) {
              rows.push(r.cells);
              if (rows.length > PREVIEW_ROWS) break;
            }
          const [header, ...samples] = rows;
          if (!header) throw new AppError('validation_error', 'The file is empty: no header row');
          return {
            format: stored.format,
            columns: header.map((h, i) => ({
              header: h.trim(),
              target: guessTarget(h),
              samples: samples.map((cells) => cells[i] ?? ''),
            })),
            targets: await importTargets(ctx, p.accountId),
          };
        } finally {
          await discardUpload(ctx, stored.upload);
        }
      },
    );

    app.post(
      '/contacts/import',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        // The body is JSON, CSV or a form: checked in the handler; the schemas below document it.
        validatorCompiler: () => (value) => ({ value }),
        schema: {
          tags: ['contacts'],
          summary:
            'Import contacts (supervisor or admin) from CSV, XLSX or JSON, creating or updating by channel ' +
            'identity, with labels, attributes and an optional opt-in with its recorded source',
          description: [
            '**Files** — **text/csv** or **' +
              XLSX_TYPE +
              '** (options in the query string), or **multipart/form-data** (a `file` part with the CSV or ' +
              'XLSX, options as fields) — are stored and imported by a background job: the answer is ' +
              '`202` with the import (`id`, `status` queued); follow it at `GET /contacts/imports/{id}` ' +
              '(`status`, `total`, `processed`, `created`, `updated`, `skipped`, `errors`) and download every ' +
              'skipped row at `GET /contacts/imports/{id}/errors`. A file is read row by row, never whole: ' +
              `up to a million rows and ${IMPORT_FILE_MAX_BYTES / 1024 / 1024} MB. The header is checked at ` +
              'once (400 when no column gives the address).',
            '**application/json** (`{source, optIn, channelId, contacts: [...]}`, at most ' +
              `${MAX_IMPORT_ROWS} contacts) is imported in the request and answered with the result (200).`,
            'CSV: UTF-8 with or without BOM; comma, semicolon or tab (detected from the header row). XLSX: the ' +
              'first sheet. A header row naming the columns `name`, `phone`, `email`, `channelId`, ' +
              '`externalId`, `labels` (separated by `|`), `optIn` (true/false, yes/no, 1/0, да/нет) in any ' +
              'order and case; `mapping` (JSON, see `POST /contacts/import/preview`) maps other headers to ' +
              'fields or to contact attributes (`attributes.<key>`), or ignores them (null). Columns that ' +
              'mean nothing are ignored and listed in `ignoredColumns`.',
            "`externalId` is the customer's address on the channel: a phone with country code for SMS " +
              '(+15551234567), phone digits for WhatsApp (15551234567), the chat id for Telegram, your id for the ' +
              'API channel; SMS and WhatsApp take the `phone` when it is empty. Website-chat contacts cannot be ' +
              'imported.',
            'The identity (channel, externalId) is the key: a known one updates its contact (non-empty name, ' +
              'phone, e-mail and attributes replace the old ones, labels are added), a new one creates a ' +
              'contact. `optIn` true records an opt-in (via `import`, with `source`), false an opt-out; an ' +
              'opt-out the customer made themselves (STOP) is never lifted (a warning says so).',
            'Bad rows and repeats of an address are skipped and reported with their row number. The good ' +
              'rows are written in batches of 500, one transaction each; running the same file again is ' +
              'safe. Each created or changed contact is announced (`contact.created` / `contact.updated`); ' +
              'the import is in the audit log (`contacts.imported`).',
          ].join('\n\n'),
          consumes: ['text/csv', XLSX_TYPE, 'multipart/form-data', 'application/json'],
          querystring: importOptionsSchema.partial(),
          body: importJsonDocumentedBody,
          response: {
            200: importResultSchema,
            202: importJobSchema,
            ...errorResponses,
            413: errorSchema.describe(
              `body_too_large: JSON larger than ${IMPORT_MAX_BYTES} bytes, a file larger than ${IMPORT_FILE_MAX_BYTES}`,
            ),
            415: errorSchema.describe('unsupported_media_type: not CSV, XLSX, JSON or multipart'),
          },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const body: unknown = req.body;
        const query = req.query as Record<string, unknown>;
        if (req.isMultipart() || isStream(body)) {
          const where = req.isMultipart() ? 'body' : 'querystring';
          // A raw body's options are all in the query: refuse bad ones before taking the file.
          if (where === 'querystring') parseMapping(where, parseOptions(where, query).mapping);
          const stored = await storeBody(ctx, req, p.accountId);
          let o: ReturnType<typeof parseOptions>;
          let mapping: ReturnType<typeof parseMapping>;
          try {
            o = parseOptions(where, { ...query, ...stored.fields });
            mapping = parseMapping(where, o.mapping);
          } catch (err) {
            await discardUpload(ctx, stored.upload);
            throw err;
          }
          const row = await startImport(
            ctx,
            p,
            {
              format: stored.format,
              source: o.source,
              optIn: o.optIn,
              channelId: o.channelId,
              mapping,
              fileName: stored.fileName,
            },
            stored.upload,
          );
          return reply.status(202).send(await toImportJob(ctx, row));
        }
        const parsed = importJsonBody.safeParse(
          body && typeof body === 'object' ? { ...query, ...(body as object) } : body,
        );
        if (!parsed.success) throw invalid('body', parsed.error);
        const { contacts, ...o } = parsed.data;
        const rows: RawRow[] = contacts.map((c, i) => {
          const item = jsonImportContactSchema.safeParse(c);
          if (!item.success) {
            const issue = item.error.issues[0]!;
            const key = String(issue.path[0] ?? '');
            // An unknown key is the item's fault as a whole; zod names it in the message.
            const field = (IMPORT_FIELDS as readonly string[]).includes(key)
              ? (key as ImportField)
              : 'contact';
            return { row: i + 1, invalid: { field, message: issue.message } };
          }
          const { externalId, ...rest } = item.data;
          return { row: i + 1, ...rest, externalId: externalId == null ? null : String(externalId) };
        });
        return importContacts(ctx, p, rows, { ...o, format: 'json' });
      },
    );
  };
