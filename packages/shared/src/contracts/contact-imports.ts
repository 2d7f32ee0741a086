import { z } from 'zod';
import { IMPORT_FIELDS, type ImportField, MAX_IMPORT_ROWS, importProblemSchema } from './contacts.ts';

/** Rows a file import (CSV or XLSX, a background job) takes; JSON imports keep MAX_IMPORT_ROWS. */
export const MAX_FILE_IMPORT_ROWS = 1_000_000;
/** Problems the job's status lists; all of them are in the errors file. */
export const MAX_LISTED_PROBLEMS = 100;
/** Sample rows the preview shows. */
export const PREVIEW_ROWS = 5;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A column's destination: a contact field, a contact attribute (`attributes.<key>`), or nothing. */
export const ATTRIBUTE_PREFIX = 'attributes.';
export const attributeKeySchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a letter, then letters, digits or _ (at most 64)');
export const importTargetSchema = z.union([
  z.enum(IMPORT_FIELDS),
  z
    .string()
    .startsWith(ATTRIBUTE_PREFIX)
    .refine((s) => attributeKeySchema.safeParse(s.slice(ATTRIBUTE_PREFIX.length)).success, {
      message: 'attributes.<key>: a letter, then letters, digits or _',
    }),
]);
export type ImportTarget = ImportField | `attributes.${string}`;

/** Header text → target (null: ignore the column). Headers not named keep their automatic meaning. */
export const importMappingSchema = z.record(z.string().max(200), importTargetSchema.nullable());
export type ImportMapping = Record<string, ImportTarget | null>;

export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(IMPORT_STATUSES).describe('queued → running → done, or failed (see failure)'),
  format: z.enum(IMPORT_FORMATS),
  source: z.string(),
  total: z.number().int().nullable().describe('data rows in the file; null until the job has counted them'),
  processed: z.number().int().describe('rows handled so far (created + updated + unchanged + skipped)'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int().describe('rows not imported; each is in the errors file'),
  errors: z
    .array(importProblemSchema)
    .describe(`the first ${MAX_LISTED_PROBLEMS} rows skipped; all of them: GET …/errors`),
  warnings: z
    .array(importProblemSchema)
    .describe(`the first ${MAX_LISTED_PROBLEMS} rows imported with a warning`),
  ignoredColumns: z.array(z.string()),
  failure: z.string().nullable().describe('why the job stopped (status failed)'),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export const importPreviewSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  columns: z.array(
    z.object({
      header: z.string(),
      target: importTargetSchema.nullable().describe('what the column is read as unless mapped otherwise'),
      samples: z.array(z.string()).describe(`the first ${PREVIEW_ROWS} rows' cells`),
    }),
  ),
  targets: z
    .array(
      z.object({
        target: importTargetSchema,
        label: z.string(),
        kind: z.enum(['field', 'attribute']),
      }),
    )
    .describe('what a column can be mapped to: the contact fields and the attributes contacts carry'),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/** `POST /contacts/import` options: in a JSON body, a form's fields, or a raw file's query. */
export const importOptionsSchema = z.object({
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
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .describe(
      'files only: JSON object, header → `name`, `phone`, `email`, `channelId`, `externalId`, `labels`, ' +
        '`optIn`, `attributes.<key>` or null (ignore the column); headers not named keep their own meaning',
    ),
});

/** One contact of a JSON import; one with a key it does not know is skipped with a reason, so a typo is not lost silently. */
export const jsonImportContactSchema = z
  .object({
    name: z.string().nullish(),
    phone: z.string().nullish(),
    email: z.string().nullish(),
    channelId: z.string().nullish().describe("the channel of this address; default: the import's channelId"),
    externalId: z
      .union([z.string(), z.number().int()])
      .nullish()
      .describe(
        "the customer's address on the channel: +E.164 phone (SMS), phone digits (WhatsApp), chat id (Telegram), your id (API channel). SMS and WhatsApp take the phone when it is missing",
      ),
    labels: z
      .union([z.array(z.string()), z.string()])
      .nullish()
      .describe('contact labels to add (never removes any); a string is split at |'),
    optIn: z
      .union([z.boolean(), z.string()])
      .nullish()
      .describe("true: opt in, false: opt out, missing: the import's optIn"),
  })
  .strict();

const contactsDescription = `up to ${MAX_IMPORT_ROWS} contacts; each is checked on its own (bad ones are skipped)`;
/** What the handler checks: the items one by one, so one bad contact does not refuse the others. */
export const importJsonBody = importOptionsSchema.omit({ mapping: true }).extend({
  contacts: z.array(z.unknown()).max(MAX_IMPORT_ROWS).describe(contactsDescription),
});
/** `POST /contacts/import`'s JSON body as the API documents it. */
export const importJsonDocumentedBody = importOptionsSchema.omit({ mapping: true }).extend({
  contacts: z.array(jsonImportContactSchema).max(MAX_IMPORT_ROWS).describe(contactsDescription),
});
