import { z } from 'zod';
import { CONTENT_KINDS } from '../domain.ts';
import { attachmentSchema } from './messages.ts';

/**
 * The visitor API of the site chat widget (`/api/v1/widget/{channelId}/…`): what the widget script
 * (apps/widget) sends and receives. Only type imports reach the widget, so zod stays out of its bundle.
 */

export const FIELD_MODES = ['off', 'optional', 'required'] as const;
export type FieldMode = (typeof FIELD_MODES)[number];

export const RECEIPT_STATUSES = ['delivered', 'read'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** Longest visitor message text. */
export const WIDGET_MAX_TEXT = 10_000;

/** Removes what PostgreSQL text cannot hold (NUL) and what only hides text (other C0 controls). */
export function stripControlChars(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** `GET /widget/{channelId}/config`: what the widget shows before anything else. */
export const widgetConfigSchema = z.object({
  channelId: z.string(),
  name: z.string(),
  title: z.record(z.string(), z.string()),
  welcome: z.record(z.string(), z.string()),
  color: z.string(),
  position: z.enum(['right', 'left']),
  preChatForm: z.object({
    enabled: z.boolean(),
    name: z.enum(FIELD_MODES),
    email: z.enum(FIELD_MODES),
    phone: z.enum(FIELD_MODES),
  }),
  requireIdentity: z.boolean(),
  maxUploadBytes: z.number(),
  online: z.boolean().nullable(),
  offlineReason: z.string().nullable(),
  nextOpenAt: z.number().nullable(),
});
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => stripControlChars(s).trim())
    .optional();

/** `POST /widget/{channelId}/session`: start or resume a visitor session, with the pre-chat answers. */
export const widgetSessionBody = z.object({
  token: z.string().max(4096).optional().describe('the token this browser already holds'),
  userId: z.string().trim().min(1).max(200).optional(),
  userHash: z.string().trim().max(128).optional(),
  name: optionalText(200),
  email: z
    .string()
    .trim()
    .max(320)
    .refine((s) => s === '' || z.email().safeParse(s).success, 'not an e-mail address')
    .optional(),
  phone: z
    .string()
    .trim()
    .max(50)
    .refine((s) => s === '' || /^\+?[0-9][0-9 ()-]{3,30}$/.test(s), 'not a phone number')
    .optional(),
});

export const visitorProfileSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
export type VisitorProfile = z.infer<typeof visitorProfileSchema>;

export const widgetSessionSchema = z.object({
  token: z.string(),
  visitorId: z.string(),
  identified: z.boolean(),
  profile: visitorProfileSchema,
});
export type WidgetSession = z.infer<typeof widgetSessionSchema>;

/** The console's attachment shape; `url` is a visitor route (it needs the visitor token) or external. */
export const visitorAttachmentSchema = attachmentSchema;
export type VisitorAttachment = z.infer<typeof visitorAttachmentSchema>;

/**
 * A message as the visitor sees it: no private notes, no internal ids of contacts or operators, no
 * delivery errors. Attachment URLs are the visitor routes (they need the visitor token).
 */
export const visitorMessageSchema = z.object({
  id: z.string(),
  clientMessageId: z.string().nullable(),
  direction: z.enum(['in', 'out']),
  kind: z.enum(CONTENT_KINDS),
  text: z.string().nullable(),
  authorName: z.string().nullable(),
  attachments: z.array(visitorAttachmentSchema),
  /** For operator messages: how far the visitor's widget confirmed it. */
  status: z.enum(['sent', 'delivered', 'read']).nullable(),
  /**
   * Quick replies under an operator message: tapping one sends its title as the visitor's message with
   * `buttonId`. `rating`: the satisfaction survey's 1–5 scale, which the widget draws as stars.
   */
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).nullable(),
  buttonsStyle: z.enum(['choice', 'rating']).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type VisitorMessage = z.infer<typeof visitorMessageSchema>;

/** `GET /widget/{channelId}/messages`: a page of history, or what changed since a moment. */
export const visitorMessagesSchema = z.object({ items: z.array(visitorMessageSchema), more: z.boolean() });
export type VisitorMessages = z.infer<typeof visitorMessagesSchema>;

/** `POST /widget/{channelId}/messages`. */
export const widgetMessageBody = z.object({
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 characters of A-Z a-z 0-9 _ -'),
  text: z.string().max(WIDGET_MAX_TEXT).optional(),
  attachments: z.array(z.string().max(4096)).max(10).default([]).describe('upload tokens'),
  pageUrl: z.string().max(2000).optional(),
  buttonId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("the tapped button's id (of an operator message's `buttons`); `text` is its title"),
});
export type WidgetMessageInput = z.input<typeof widgetMessageBody>;

export const widgetMessageAcceptedSchema = z.object({
  status: z.literal('accepted'),
  clientMessageId: z.string(),
});

/** `POST /widget/{channelId}/receipts`. */
export const widgetReceiptsBody = z.object({
  status: z.enum(RECEIPT_STATUSES),
  messageIds: z.array(z.string().max(64)).min(1).max(200),
});

export const widgetReceiptsSchema = z.object({ stored: z.number(), pending: z.array(z.string()) });
export type WidgetReceipts = z.infer<typeof widgetReceiptsSchema>;

/** `POST /widget/{channelId}/uploads`: the token to pass in a message's `attachments`. */
export const widgetUploadSchema = z.object({
  token: z.string(),
  name: z.string().nullable(),
  mimeType: z.string(),
  size: z.number(),
  kind: z.string(),
});
export type WidgetUpload = z.infer<typeof widgetUploadSchema>;

/** `POST /conversations/{id}/typing`: an operator's typing signal. */
export const typingBody = z
  .object({
    typing: z.boolean().default(true),
    private: z
      .boolean()
      .default(false)
      .describe('writing a private note: shown to colleagues only, never to the customer'),
  })
  .default({ typing: true, private: false });
