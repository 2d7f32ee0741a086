import {
  ATTRIBUTE_PREFIX,
  attributeKeySchema,
  IMPORT_FIELDS,
  ISSUE_CODES,
  type ImportField,
  type ImportMapping,
  type ImportTarget,
  type IssueCode,
} from '@switchboard/shared';
import { z } from 'zod';
import { DomainError } from '../../lib/domain-error.ts';
import type { CsvTable } from './csv-records.ts';
import { normalizeExternalId, phoneAddressed } from './external-id.ts';

export { IMPORT_FIELDS, ISSUE_CODES, type ImportField, type IssueCode };

/** Header spellings people use (CRM exports, Russian spreadsheets); compared without case, spaces, _ and -. */
const HEADER_ALIASES: Record<string, ImportField> = {
  name: 'name',
  fullname: 'name',
  имя: 'name',
  фио: 'name',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  телефон: 'phone',
  email: 'email',
  mail: 'email',
  почта: 'email',
  channelid: 'channelId',
  channel: 'channelId',
  externalid: 'externalId',
  labels: 'labels',
  label: 'labels',
  tags: 'labels',
  метки: 'labels',
  optin: 'optIn',
  согласие: 'optIn',
};

export const MAX_LABELS_PER_ROW = 20;
const LABEL_SEPARATOR = '|';

/** A contact row as given: CSV cells are all text; JSON may use arrays, numbers and booleans. */
export interface RawRow {
  row: number;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  channelId?: string | null;
  externalId?: string | null;
  labels?: string[] | string | null;
  optIn?: boolean | string | null;
  /** Columns mapped to contact attributes: key → cell text. */
  attributes?: Record<string, string>;
  /** Already known to be unusable (a JSON item of the wrong shape): where and why. */
  invalid?: { field: ImportField | 'contact'; message: string };
}

/** A row that passed every check, ready to be written. */
export interface ImportRow {
  row: number;
  name: string | null;
  phone: string | null;
  /** The phone the address implies (SMS, WhatsApp), used only where the contact has none. */
  impliedPhone: string | null;
  email: string | null;
  channel: { id: string; type: string };
  externalId: string;
  labels: string[];
  /** true: opt in; false: opt out; undefined: leave consent as it is. */
  optIn: boolean | undefined;
  /** Non-empty attribute cells: they are set on the contact, other attributes stay. */
  attributes: Record<string, string>;
}

export interface RowIssue {
  field: ImportField | 'contact';
  code: IssueCode;
  /** The offending value, as given. */
  value?: string;
  /** duplicate: the row that has the address first. */
  firstRow?: number;
  /** externalId invalid: the channel type whose address shape it misses. */
  channelType?: string;
  /** opt_in_refused: the consent scope (sms, telegram, ...). */
  scope?: string;
}

export interface RowProblem {
  row: number;
  message: string;
  issues: RowIssue[];
}

export function rowProblem(row: number, issues: (RowIssue & { message: string })[]): RowProblem {
  return {
    row,
    message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
    issues: issues.map(({ message: _, ...i }) => i),
  };
}

export interface RowDefaults {
  channels: Map<string, { id: string; type: string }>;
  channelId: string | undefined;
  optIn: boolean;
}

/** What a header means by itself: a known spelling of a field, `attributes.<key>` (as exports write it), or nothing. */
export function guessTarget(header: string): ImportTarget | null {
  const name = header.trim();
  if (
    name.startsWith(ATTRIBUTE_PREFIX) &&
    attributeKeySchema.safeParse(name.slice(ATTRIBUTE_PREFIX.length)).success
  )
    return name as ImportTarget;
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');
  return HEADER_ALIASES[key] ?? null;
}

/**
 * Maps header cells to targets: the mapping's choice for a header it names (null: ignore the column),
 * otherwise the header's own meaning. Unknown columns are reported back rather than failing the file.
 */
export function mapHeader(
  header: string[],
  mapping: ImportMapping = {},
): { columns: (ImportTarget | null)[]; ignored: string[] } {
  const ignored: string[] = [];
  const seen = new Set<ImportTarget>();
  const columns = header.map((h) => {
    const name = h.trim();
    const target = Object.hasOwn(mapping, name) ? mapping[name]! : guessTarget(h);
    if (!target) {
      if (name) ignored.push(name);
      return null;
    }
    if (seen.has(target))
      throw new DomainError(
        'validation_error',
        `Header: two columns mean "${target}" ("${name}" is the second)`,
      );
    seen.add(target);
    return target;
  });
  if (!seen.has('externalId') && !seen.has('phone'))
    throw new DomainError(
      'validation_error',
      `Header: needs an externalId column (or phone, for SMS and WhatsApp); columns are ${IMPORT_FIELDS.join(', ')}`,
    );
  return { columns, ignored };
}

/** One record's cells as a raw row, by the mapped columns. */
export function rawRowOf(row: number, cells: string[], columns: (ImportTarget | null)[]): RawRow {
  const raw: RawRow = { row };
  columns.forEach((target, i) => {
    if (!target) return;
    const cell = cells[i] ?? '';
    if (target.startsWith(ATTRIBUTE_PREFIX)) {
      raw.attributes ??= {};
      raw.attributes[target.slice(ATTRIBUTE_PREFIX.length)] = cell;
    } else raw[target as ImportField] = cell;
  });
  return raw;
}

export function csvRawRows(table: CsvTable): { rows: RawRow[]; ignoredColumns: string[] } {
  const { columns, ignored } = mapHeader(table.header);
  const rows = table.records.map((r) => rawRowOf(r.row, r.cells, columns));
  return { rows, ignoredColumns: ignored };
}

export const MAX_ATTRIBUTE_LENGTH = 1000;

const YES = new Set(['true', 'yes', 'y', '1', 'да', 'д']);
const NO = new Set(['false', 'no', 'n', '0', 'нет', 'н']);

function parseOptIn(v: boolean | string | null | undefined): boolean | undefined | 'invalid' {
  if (typeof v === 'boolean') return v;
  const s = (v ?? '').trim().toLowerCase();
  if (s === '') return undefined;
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return 'invalid';
}

const emailSchema = z.email();

/** Checks and normalizes one row; every problem of the row is reported, in one message. */
export function checkRow(raw: RawRow, d: RowDefaults): ImportRow | RowProblem {
  if (raw.invalid) return rowProblem(raw.row, [{ ...raw.invalid, code: 'invalid' }]);
  const problems: (RowIssue & { message: string })[] = [];
  const text = (v: string | null | undefined) => {
    const s = (v ?? '').trim();
    return s === '' ? null : s;
  };
  const name = text(raw.name);
  if (name && name.length > 200)
    problems.push({ field: 'name', code: 'too_long', message: 'at most 200 characters' });
  const phone = text(raw.phone);
  if (phone && phone.length > 50)
    problems.push({ field: 'phone', code: 'too_long', message: 'at most 50 characters' });
  const email = text(raw.email)?.toLowerCase() ?? null;
  if (email && (email.length > 320 || !emailSchema.safeParse(email).success))
    problems.push({
      field: 'email',
      code: 'invalid',
      value: email,
      message: `"${email}" is not an e-mail address`,
    });

  const labelList = Array.isArray(raw.labels) ? raw.labels : (raw.labels ?? '').split(LABEL_SEPARATOR);
  const labels = [...new Set(labelList.map((l) => l.trim()).filter(Boolean))];
  if (labels.some((l) => l.length > 64))
    problems.push({ field: 'labels', code: 'too_long', message: 'each at most 64 characters' });
  if (labels.length > MAX_LABELS_PER_ROW)
    problems.push({
      field: 'labels',
      code: 'too_many',
      message: `at most ${MAX_LABELS_PER_ROW} per contact`,
    });

  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.attributes ?? {})) {
    const v = value.trim();
    if (v.length > MAX_ATTRIBUTE_LENGTH)
      problems.push({
        field: 'contact',
        code: 'too_long',
        message: `attribute ${key}: at most ${MAX_ATTRIBUTE_LENGTH} characters`,
      });
    else if (v) attributes[key] = v;
  }

  const optIn = parseOptIn(raw.optIn);
  if (optIn === 'invalid')
    problems.push({
      field: 'optIn',
      code: 'invalid',
      value: String(raw.optIn),
      message: `"${String(raw.optIn)}" is not true or false`,
    });

  const channelId = text(raw.channelId) ?? d.channelId ?? null;
  const channel = channelId ? d.channels.get(channelId) : undefined;
  let externalId: string | null = null;
  let impliedPhone: string | null = null;
  if (!channelId)
    problems.push({
      field: 'channelId',
      code: 'missing',
      message: "missing (a column, or the import's channelId)",
    });
  else if (!channel)
    problems.push({
      field: 'channelId',
      code: 'unknown_channel',
      value: channelId,
      message: `no channel "${channelId}" in this account`,
    });
  else {
    const given = text(raw.externalId);
    const byPhone = phoneAddressed(channel.type);
    const address = given ?? (byPhone ? phone : null);
    if (!address) {
      problems.push({
        field: 'externalId',
        code: 'missing',
        channelType: channel.type,
        message: byPhone ? 'missing (or a phone)' : 'missing',
      });
    } else {
      const norm = normalizeExternalId(channel.type, address);
      if (norm.ok) {
        externalId = norm.value;
        if (byPhone) impliedPhone = norm.value.startsWith('+') ? norm.value : `+${norm.value}`;
      } else
        problems.push({
          field: given ? 'externalId' : 'phone',
          code: norm.code,
          value: address,
          channelType: channel.type,
          message: norm.message,
        });
    }
  }
  if (problems.length > 0 || !channel || externalId === null || optIn === 'invalid')
    return rowProblem(raw.row, problems);
  return {
    row: raw.row,
    name,
    phone,
    impliedPhone,
    email,
    channel,
    externalId,
    labels,
    optIn: optIn ?? (d.optIn ? true : undefined),
    attributes,
  };
}

export function isProblem(r: ImportRow | RowProblem): r is RowProblem {
  return 'message' in r;
}
