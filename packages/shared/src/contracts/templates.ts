import { z } from 'zod';
import { CONTENT_KINDS } from '../domain.ts';
import { uploadSchema } from './messages.ts';

/** Who sees a saved reply: the whole account, one team, or its author only. */
export const TEMPLATE_SCOPES = ['everyone', 'team', 'personal'] as const;
export type TemplateScope = (typeof TEMPLATE_SCOPES)[number];

/** Typed after "/" in the composer: letters, digits, "_" and "-"; stored lower-case without the slash. */
export const shortcutSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\//, '').toLowerCase())
  .pipe(
    z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, "_" or "-" (1-32), optional leading "/"'),
  );

/** Variables every conversation can fill; `contact.attributes.<key>` and `conversation.attributes.<key>` come on top. */
export const SAVED_REPLY_VARIABLES = [
  'contact.name',
  'contact.first_name',
  'contact.last_name',
  'contact.phone',
  'contact.email',
  'operator.name',
  'operator.first_name',
  'operator.email',
  'conversation.id',
  'channel.name',
] as const;

/** A template carries at most this many files; inserting it attaches them to the reply. */
export const TEMPLATE_MAX_ATTACHMENTS = 5;

export const templateAttachmentSchema = z.object({
  id: z.string(),
  fileName: z.string().nullable(),
  mimeType: z.string(),
  size: z.number().describe('bytes'),
  kind: z.enum(CONTENT_KINDS),
});
export type TemplateAttachmentDto = z.infer<typeof templateAttachmentSchema>;

export const templateSchema = z.object({
  id: z.string(),
  name: z.string(),
  shortcut: z.string(),
  text: z.string(),
  scope: z.enum(TEMPLATE_SCOPES),
  teamId: z.string().nullable(),
  ownerId: z.string().nullable(),
  variables: z
    .array(z.object({ name: z.string(), known: z.boolean() }))
    .describe('placeholders in the text; unknown ones render as nothing and are flagged'),
  attachments: z.array(templateAttachmentSchema).describe('files sent along when the template is used'),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type TemplateDto = z.infer<typeof templateSchema>;

const templateFields = {
  name: z.string().trim().min(1).max(200),
  shortcut: shortcutSchema,
  text: z
    .string()
    .min(1)
    .max(10_000)
    .describe(
      '{{contact.name}}, {{contact.first_name}}, {{operator.name}}, ' +
        '{{conversation.id}}, {{contact.attributes.X}}, {{conversation.attributes.X}}...; {{var | fallback}} when it may be empty',
    ),
  scope: z.enum(TEMPLATE_SCOPES),
  teamId: z.string().min(1).max(64).nullable().optional().describe('required for scope "team"'),
};

export const templateCreateBody = z.object({
  ...templateFields,
  scope: templateFields.scope.default('personal'),
});
export type TemplateCreateBody = z.input<typeof templateCreateBody>;

export const templatePatchBody = z
  .object({
    name: templateFields.name.optional(),
    shortcut: templateFields.shortcut.optional(),
    text: templateFields.text.optional(),
    scope: templateFields.scope.optional(),
    teamId: templateFields.teamId,
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type TemplatePatchBody = z.input<typeof templatePatchBody>;

export const templateListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('substring of shortcut, name or text'),
  scope: z.enum(TEMPLATE_SCOPES).optional(),
  team: z.string().min(1).max(64).optional(),
});

/** POST /templates/import: the CSV text itself (Content-Type: text/csv). */
export const templateCsvBody = z.string().max(5 * 1024 * 1024);
export const templateImportResultSchema = z.object({
  created: z.number(),
  updated: z.number(),
  dryRun: z.boolean(),
});
export type TemplateImportResult = z.infer<typeof templateImportResultSchema>;

export const templateListSchema = z.object({ items: z.array(templateSchema) });

/** POST /templates/:id/attachments: an upload (`POST /uploads`) becomes the template's file. */
export const templateAttachBody = z.object({ uploadId: z.string().min(1).max(64) });
export const templateAttachmentParams = z.object({
  id: z.string().min(1).max(64),
  attachmentId: z.string().min(1).max(64),
});

export const templateRenderBody = z.object({
  conversationId: z.string().min(1).max(64),
  withAttachments: z
    .boolean()
    .default(true)
    .describe(
      "copy the template's files into fresh uploads of the caller, ready for `attachments: [{uploadId}]`",
    ),
});
const unresolvedSchema = z
  .array(
    z.object({
      variable: z.string(),
      reason: z.enum(['unknown', 'empty']),
      offset: z.number().int().describe('UTF-16 offset in text where the value is missing'),
    }),
  )
  .describe('flag these to the operator before sending');
export const renderedTemplateSchema = z.object({
  text: z.string().describe('unresolved variables are left out (or replaced by their fallback)'),
  unresolved: unresolvedSchema,
  attachments: z
    .array(uploadSchema)
    .describe("fresh uploads of the template's files (empty unless withAttachments)"),
});
export type RenderedTemplateDto = z.infer<typeof renderedTemplateSchema>;

/** POST /templates/preview: text being edited, filled from a conversation or from sample values. */
export const templatePreviewBody = z.object({
  text: templateFields.text,
  conversationId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("fill from this conversation's contact, channel and attributes; sample values without it"),
});
export const templatePreviewSchema = z.object({
  text: z.string(),
  unresolved: unresolvedSchema,
  variables: templateSchema.shape.variables,
  sample: z.boolean().describe('true when filled with sample values rather than a conversation'),
});
export type TemplatePreviewDto = z.infer<typeof templatePreviewSchema>;
