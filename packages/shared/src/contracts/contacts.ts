import { z } from 'zod';
import { attributeValue } from './attributes.ts';
import { pageQuery } from './common.ts';
import { contactFilterFields } from './segments.ts';

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

export const contactListQuery = pageQuery.extend(contactFilterFields);

export const contactPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    phone: z.string().trim().min(1).max(50).nullable().optional(),
    email: z.string().trim().toLowerCase().max(320).pipe(z.email()).nullable().optional(),
    attributes: z
      .record(z.string().min(1).max(100), attributeValue)
      .refine((a) => Object.keys(a).length <= 100, { message: 'at most 100 attributes per request' })
      .optional()
      .describe(
        'merged into the existing attributes; a null value removes that attribute; attributes an admin defined (GET /attribute-definitions) are checked by their type',
      ),
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

export const importProblemSchema = z.object({
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
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importResultSchema = z.object({
  importId: z.string().describe('also on the audit log entry and on each consent decision it recorded'),
  total: z.number().int().describe('rows in the file'),
  created: z.number().int().describe('new contacts'),
  updated: z.number().int().describe('existing contacts (same channel and externalId) that the row changed'),
  unchanged: z.number().int().describe('existing contacts the row had nothing new for'),
  skipped: z.number().int().describe('rows not imported: each has an entry in errors'),
  errors: z.array(importProblemSchema).describe(`rows skipped and why (the first ${MAX_REPORTED})`),
  warnings: z
    .array(importProblemSchema)
    .describe("rows imported with something left out (an opt-in refused: the customer's own opt-out)"),
  truncated: z.boolean().describe(`more than ${MAX_REPORTED} errors or warnings; the counts are exact`),
  ignoredColumns: z.array(z.string()).describe('CSV columns that are not contact fields'),
});
export type ImportResult = z.infer<typeof importResultSchema>;

// ---- One person, many channels: merge, undo, duplicates, timeline ----

/** How long a merge can be undone. */
export const UNMERGE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The conflict rule, as the preview shows it: the contact you merge INTO (`:id`) keeps its own name,
 * phone, e-mail and attribute values; the other contact only fills what is empty there. Labels are
 * united. On consent an opt-out on either side wins; of two opt-ins the later one stays.
 */
export const MERGE_RULE =
  'The contact you keep wins: its name, phone, e-mail and attribute values stay; the other contact only fills what is empty. Labels are combined. A consent opt-out on either side wins; of two opt-ins the later one stays. Identities, conversations, notes and consent records all move to the contact you keep.';

export const mergeBody = z.object({
  otherContactId: z.string().min(1).max(64).describe('the contact to merge away into `:id`'),
});
export const mergePreviewQuery = mergeBody;

const consentStatus = z.enum(['opted_in', 'opted_out']);

export const mergeFieldSchema = z.object({
  field: z.string().describe('`name`, `phone`, `email` or `attributes.<key>`'),
  survivor: z.unknown().describe("the kept contact's value (null: empty)"),
  other: z.unknown().describe("the merged-away contact's value (null: empty)"),
  result: z.unknown().describe('the value after the merge'),
  conflict: z.boolean().describe('both had a value and they differ: the kept contact wins'),
});
export type MergeField = z.infer<typeof mergeFieldSchema>;

export const mergeCountsSchema = z.object({
  identities: z.number().int(),
  conversations: z.number().int(),
  notes: z.number().int(),
  labels: z.number().int().describe('labels the kept contact did not have yet'),
  consent: z.number().int().describe('consent records moved or combined'),
});

export const mergePreviewSchema = z.object({
  survivor: contactSchema,
  other: contactSchema,
  rule: z.string().describe('the conflict rule in English (the console shows its own translation)'),
  fields: z.array(mergeFieldSchema).describe('every field and attribute either side has'),
  consent: z.array(
    z.object({
      scope: z.string(),
      survivor: consentStatus.nullable(),
      other: consentStatus.nullable(),
      result: consentStatus,
    }),
  ),
  moves: mergeCountsSchema,
});
export type MergePreview = z.infer<typeof mergePreviewSchema>;

export const contactMergeSchema = z.object({
  id: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  via: z.enum(['manual', 'automatic']),
  mergedBy: z.string().nullable().describe('user id; null for an automatic merge'),
  createdAt: z.number(),
  undoUntil: z.number().describe('the merge can be undone until then'),
  undoneAt: z.number().nullable(),
  moved: mergeCountsSchema,
});
export type ContactMergeDto = z.infer<typeof contactMergeSchema>;
export const contactMergeListSchema = z.object({ items: z.array(contactMergeSchema) });

export const mergeResultSchema = z.object({ merge: contactMergeSchema, contact: contactSchema });
export type MergeResult = z.infer<typeof mergeResultSchema>;

export const unmergeBody = z.object({ mergeId: z.string().min(1).max(64) });
export const unmergeResultSchema = z.object({
  merge: contactMergeSchema,
  contact: contactSchema.describe('the contact that was kept, without what came from the other'),
  restored: contactSchema.describe('the merged-away contact, back with its identities and conversations'),
});
export type UnmergeResult = z.infer<typeof unmergeResultSchema>;

/** What a merged-away contact's id answers (301 for GET with Location; 409 for changes). */
export const contactMergedSchema = z.object({
  error: z.object({ code: z.literal('contact_merged'), message: z.string() }),
  mergedInto: z.string().describe('the contact it now belongs to'),
});
export type ContactMergedBody = z.infer<typeof contactMergedSchema>;

export const DUPLICATE_REASONS = ['phone', 'email'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export const duplicateGroupSchema = z.object({
  reason: z.enum(DUPLICATE_REASONS),
  key: z.string().describe('the shared phone (E.164) or e-mail (lower case)'),
  contacts: z.array(contactSchema).describe('oldest first: the oldest is suggested as the one to keep'),
});
export type DuplicateGroup = z.infer<typeof duplicateGroupSchema>;
export const duplicatesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const duplicateListSchema = z.object({
  items: z.array(duplicateGroupSchema),
  truncated: z.boolean().describe('more groups exist than `limit`'),
});
export type DuplicateList = z.infer<typeof duplicateListSchema>;
export const contactDuplicatesSchema = z.object({
  items: z.array(z.object({ contact: contactSchema, reasons: z.array(z.enum(DUPLICATE_REASONS)) })),
});
export type ContactDuplicates = z.infer<typeof contactDuplicatesSchema>;

export const contactSettingsSchema = z.object({
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .describe('ISO 3166 alpha-2 country numbers without `+` are read in; null: only `+` numbers compare'),
  autoMergeVerified: z
    .boolean()
    .describe(
      'merge a new identity into the contact with the same phone when the provider verified that phone (WhatsApp wa_id, SMS sender, Viber/Telegram shared contact)',
    ),
});
export type ContactSettings = z.infer<typeof contactSettingsSchema>;

export const channelSwitchBody = z.object({
  identityId: z.string().min(1).max(64).describe("one of the contact's identities: the channel to write on"),
});
export const channelSwitchSchema = z.object({
  conversationId: z.string(),
  created: z.boolean().describe('no conversation on that channel yet: a new one was opened'),
  window: z.object({
    open: z.boolean(),
    reason: z.string(),
    closesAt: z.number().nullable(),
    templateAllowed: z.boolean().describe('a template may still be sent though the window is closed'),
  }),
});
export type ChannelSwitch = z.infer<typeof channelSwitchSchema>;
