import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { importResultSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses, errorSchema } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { MAX_IMPORT_ROWS, importContacts } from './contact-import.service.ts';
import { decodeCsv, parseCsvTable } from './csv-records.ts';
import { IMPORT_FIELDS, type ImportField, type RawRow, csvRawRows, jsonContactSchema } from './import-row.ts';

/** Enough for 10,000 rows of long names, several labels and CRM ids. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

const optionsSchema = z.object({
  source: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      'where this list comes from, kept with every consent decision and in the audit log (e.g. "CRM export 2026-11")',
    ),
  optIn: z
    .union([z.boolean(), z.stringbool()])
    .default(false)
    .describe(
      "true: record an explicit opt-in (via import, with the source) for every row whose own optIn is empty. A customer's own opt-out (STOP) is never lifted",
    ),
  channelId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the channel of rows without a channelId (a CSV from a CRM rarely has one)'),
});

const contactsDescription = `up to ${MAX_IMPORT_ROWS} contacts; each is checked on its own (bad ones are skipped)`;
/** What the handler checks: the items one by one, so one bad contact does not refuse the others. */
const jsonBody = optionsSchema.extend({
  contacts: z.array(z.unknown()).max(MAX_IMPORT_ROWS).describe(contactsDescription),
});
/** What OpenAPI shows. */
const documentedBody = optionsSchema.extend({
  contacts: z.array(jsonContactSchema).max(MAX_IMPORT_ROWS).describe(contactsDescription),
});

function invalid(where: string, error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new AppError('validation_error', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

function parseOptions(where: string, value: unknown) {
  const r = optionsSchema.safeParse(value);
  if (!r.success) throw invalid(where, r.error);
  return r.data;
}

function csvRows(bytes: Uint8Array): { rows: RawRow[]; ignoredColumns: string[] } {
  return csvRawRows(parseCsvTable(decodeCsv(bytes), MAX_IMPORT_ROWS));
}

/** A multipart form: one file part (the CSV) and the options as fields. */
async function readForm(req: FastifyRequest): Promise<{ file: Buffer; fields: Record<string, string> }> {
  let file: Buffer | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') file = await part.toBuffer();
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('body_too_large', `The file is larger than ${IMPORT_MAX_BYTES} bytes`, {
        maxBytes: IMPORT_MAX_BYTES,
      });
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError('bad_request', 'Send one file part and the fields source, optIn, channelId');
    throw new AppError('bad_request', `Malformed multipart body: ${(err as Error).message}`);
  }
  if (!file) throw new AppError('validation_error', 'The form has no file part (the CSV)');
  return { file, fields };
}

/** `POST /contacts/import`: contacts from a CRM export (CSV) or another system (JSON). */
export const contactImportRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
    });
    app.addContentTypeParser(
      ['text/csv', 'application/csv', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES },
      (_req, body, done) => done(null, body),
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
            'Import contacts (supervisor or admin) from CSV or JSON, creating or updating by channel identity, ' +
            'with labels and an optional opt-in with its recorded source',
          description: [
            'Send **text/csv** (options in the query string), **multipart/form-data** (a `file` part with the ' +
              'CSV, options as fields) or **application/json** (`{source, optIn, channelId, contacts: [...]}`).',
            'CSV: UTF-8 with or without BOM; comma, semicolon or tab (detected from the header row); a header ' +
              'row naming the columns `name`, `phone`, `email`, `channelId`, `externalId`, `labels` ' +
              '(separated by `|`), `optIn` (true/false, yes/no, 1/0, да/нет) in any order and case ' +
              '(other columns are ignored and listed in `ignoredColumns`).',
            "`externalId` is the customer's address on the channel: a phone with country code for SMS " +
              '(+15551234567), phone digits for WhatsApp (15551234567), the chat id for Telegram, your id for the ' +
              'API channel; SMS and WhatsApp take the `phone` when it is empty. Website-chat contacts cannot be ' +
              'imported.',
            'The identity (channel, externalId) is the key: a known one updates its contact (non-empty name, ' +
              'phone and e-mail replace the old ones, labels are added), a new one creates a contact. `optIn` ' +
              'true records an opt-in (via `import`, with `source`), false an opt-out; an opt-out the customer ' +
              'made themselves (STOP) is never lifted (a warning says so).',
            `At most ${MAX_IMPORT_ROWS} rows. Every row is checked first; bad rows and repeats of an address ` +
              'are skipped and listed in `errors` with their row number. The good rows are written in batches ' +
              'of 500, one transaction each; running the same file again is safe. Each created or changed ' +
              'contact is announced (`contact.created` / `contact.updated`); the import is in the audit log ' +
              '(`contacts.imported`).',
          ].join('\n\n'),
          consumes: ['text/csv', 'multipart/form-data', 'application/json'],
          querystring: optionsSchema.partial(),
          body: documentedBody,
          response: {
            200: importResultSchema,
            ...errorResponses,
            413: errorSchema.describe(`body_too_large: larger than ${IMPORT_MAX_BYTES} bytes`),
            415: errorSchema.describe('unsupported_media_type: not CSV, JSON or multipart'),
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const body: unknown = req.body;
        const query = req.query as Record<string, unknown>;
        if (req.isMultipart()) {
          const { file, fields } = await readForm(req);
          const o = parseOptions('body', { ...query, ...fields });
          const { rows, ignoredColumns } = csvRows(file);
          return importContacts(ctx, p, rows, { ...o, format: 'csv', ignoredColumns });
        }
        if (Buffer.isBuffer(body)) {
          const o = parseOptions('querystring', query);
          const { rows, ignoredColumns } = csvRows(body);
          return importContacts(ctx, p, rows, { ...o, format: 'csv', ignoredColumns });
        }
        const parsed = jsonBody.safeParse(
          body && typeof body === 'object' ? { ...query, ...(body as object) } : body,
        );
        if (!parsed.success) throw invalid('body', parsed.error);
        const { contacts, ...o } = parsed.data;
        const rows: RawRow[] = contacts.map((c, i) => {
          const item = jsonContactSchema.safeParse(c);
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
