import { z } from 'zod';
import { inboxFilterSchema } from './inbox-filter.ts';
import { conversationFilterSchema } from './search.ts';
import { contactFilterSchema } from './segments.ts';

/** Exports of conversations, messages or contacts to XLSX/CSV, run as a background job (`/exports`). */

export const EXPORT_KINDS = ['conversations', 'messages', 'contacts'] as const;
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const EXPORT_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The list's filters (the same conversations `GET /conversations` shows), a time span and a text query. */
export const exportFilterSchema = conversationFilterSchema.extend({
  ...inboxFilterSchema.shape,
  q: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('full-text query (as in /search): only matching messages, or conversations with one'),
  contacts: contactFilterSchema
    .optional()
    .describe('kind `contacts`: only the contacts this filter matches (the fields of GET /contacts)'),
});
export type ExportFilter = z.infer<typeof exportFilterSchema>;

/** `POST /exports`. */
export const createExportBody = z.object({
  kind: z
    .enum(EXPORT_KINDS)
    .describe(
      'one row per conversation, one row per message, or one row per contact (supervisor or admin; only ' +
        '`filter.contacts` applies) with identities, labels, consent and a column per attribute (`attributes.<key>`, as the import reads it)',
    ),
  format: z.enum(EXPORT_FORMATS).default('xlsx'),
  filter: exportFilterSchema.default({}),
});
export type CreateExportInput = z.input<typeof createExportBody>;

export const exportSchema = z.object({
  id: z.string(),
  kind: z.enum(EXPORT_KINDS),
  format: z.enum(EXPORT_FORMATS),
  filter: z.record(z.string(), z.unknown()),
  status: z.enum(EXPORT_STATUSES),
  rowsDone: z.number(),
  rowsTotal: z.number().nullable().describe('known once the export has started'),
  fileName: z.string(),
  size: z.number().nullable(),
  error: z.string().nullable(),
  downloadUrl: z.string().nullable().describe('set when done'),
  requestedBy: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ExportDto = z.infer<typeof exportSchema>;
