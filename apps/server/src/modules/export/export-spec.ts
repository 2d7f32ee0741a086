import { z } from 'zod';
import { conversationFilterSchema } from '../search/conversation-filter.ts';

export const EXPORT_KINDS = ['conversations', 'messages', 'contacts'] as const;
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportFilterSchema = conversationFilterSchema.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('full-text query (as in /search): only matching messages, or conversations with one'),
});
export type ExportFilter = z.infer<typeof exportFilterSchema>;

/** What to export, resolved for one requester. */
export interface ExportSpec {
  accountId: string;
  kind: ExportKind;
  format: ExportFormat;
  filter: ExportFilter;
  /** The requester's user id ("assignee: me"); null for the CLI. */
  userId: string | null;
  /** Teams an operator was limited to when asking; undefined: the whole account. */
  teams: string[] | undefined;
  timeZone: string;
}

export type CellType = 'text' | 'number' | 'date';

export interface Column {
  header: string;
  type: CellType;
  width: number;
}

/** A cell value: text, a number, an epoch-ms instant (type "date"), or empty. */
export type Cell = string | number | null;
