import type { ExportFilter, ExportFormat, ExportKind } from '@switchboard/shared';

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
