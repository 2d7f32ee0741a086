import { z } from 'zod';
import { pageQuery } from './common.ts';

export const identitySchema = z.object({
  id: z.string(),
  channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
  externalId: z.string().describe("the customer's id on that channel (phone, chat id, your system's id)"),
  createdAt: z.number(),
});

export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(identitySchema),
  labels: z.array(z.string()).describe('labels operators gave this contact, alphabetical'),
  consent: z
    .array(z.object({ scope: z.string(), status: z.enum(['opted_in', 'opted_out']) }))
    .describe('scopes with a consent decision on record (details: GET /contacts/{id}/consent)'),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ContactDto = z.infer<typeof contactSchema>;

export const contactListQuery = pageQuery.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('substring of name, phone or e-mail (case-insensitive, any alphabet)'),
  label: z.string().trim().min(1).max(64).optional().describe('only contacts with this label (exact)'),
});

const attributeValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const contactPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    phone: z.string().trim().min(1).max(50).nullable().optional(),
    email: z.string().trim().toLowerCase().max(320).pipe(z.email()).nullable().optional(),
    attributes: z
      .record(z.string().min(1).max(100), attributeValue)
      .refine((a) => Object.keys(a).length <= 100, { message: 'at most 100 attributes per request' })
      .optional()
      .describe('merged into the existing attributes; a null value removes that attribute'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type ContactPatch = z.input<typeof contactPatchBody>;

export const labelText = z.string().trim().min(1).max(64);
export const contactLabelBody = z.object({ label: labelText });

export const labelSuggestQuery = z.object({
  q: z.string().trim().max(64).optional().describe('part of the label, any case; empty: the most used'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const labelsInUseSchema = z.object({
  items: z.array(z.object({ label: z.string(), count: z.number().int() })),
});
export type LabelsInUse = z.infer<typeof labelsInUseSchema>;

export const contactNoteSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  text: z.string().describe('plain text as the operator wrote it'),
  author: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.number(),
  updatedAt: z.number().describe('differs from createdAt once the note was edited'),
});
export type ContactNoteDto = z.infer<typeof contactNoteSchema>;

export const contactNoteBody = z.object({ text: z.string().trim().min(1).max(5000) });

/** Rows one import takes (CSV or JSON); the console checks it before sending. */
export const MAX_IMPORT_ROWS = 10_000;
/** Problems listed in the import's answer; the counts stay exact beyond it. */
export const MAX_REPORTED = 1000;

export const IMPORT_FIELDS = [
  'name',
  'phone',
  'email',
  'channelId',
  'externalId',
  'labels',
  'optIn',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** What is wrong with a row, as a code a console can translate; `message` says the same in English. */
export const ISSUE_CODES = [
  'too_long',
  'too_many',
  'invalid',
  'missing',
  'unknown_channel',
  'not_importable',
  'duplicate',
  'opt_in_refused',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

const problemSchema = z.object({
  row: z.number().int().describe('CSV: the row as a spreadsheet shows it (header = 1); JSON: 1-based index'),
  message: z.string().describe('every issue of the row, in English'),
  issues: z
    .array(
      z.object({
        field: z.enum([...IMPORT_FIELDS, 'contact']),
        code: z.enum(ISSUE_CODES),
        value: z.string().optional().describe('the offending value'),
        firstRow: z.number().int().optional().describe('duplicate: the row that has this address first'),
        channelType: z.string().optional().describe('whose address shape the value misses'),
        scope: z.string().optional().describe('opt_in_refused: the consent scope'),
      }),
    )
    .describe('the same issues as codes, for translation'),
});
export type ImportProblem = z.infer<typeof problemSchema>;

export const importResultSchema = z.object({
  importId: z.string().describe('also on the audit log entry and on each consent decision it recorded'),
  total: z.number().int().describe('rows in the file'),
  created: z.number().int().describe('new contacts'),
  updated: z.number().int().describe('existing contacts (same channel and externalId) that the row changed'),
  unchanged: z.number().int().describe('existing contacts the row had nothing new for'),
  skipped: z.number().int().describe('rows not imported: each has an entry in errors'),
  errors: z.array(problemSchema).describe(`rows skipped and why (the first ${MAX_REPORTED})`),
  warnings: z
    .array(problemSchema)
    .describe("rows imported with something left out (an opt-in refused: the customer's own opt-out)"),
  truncated: z.boolean().describe(`more than ${MAX_REPORTED} errors or warnings; the counts are exact`),
  ignoredColumns: z.array(z.string()).describe('CSV columns that are not contact fields'),
});
export type ImportResult = z.infer<typeof importResultSchema>;
