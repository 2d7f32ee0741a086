import { z } from 'zod';
import { IMPORT_FIELDS, type ImportField, importProblemSchema } from './contacts.ts';

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
