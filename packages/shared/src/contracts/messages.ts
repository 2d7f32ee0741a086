import { z } from 'zod';
import { AUTHOR_KINDS, CONTENT_KINDS, DELIVERY_STATUSES } from '../domain.ts';

export const attachmentSchema = z.object({
  id: z.string(),
  kind: z.enum(CONTENT_KINDS),
  name: z.string().nullable(),
  mimeType: z.string().nullable(),
  size: z.number().nullable(),
  url: z.string().nullable(),
});
export type AttachmentDto = z.infer<typeof attachmentSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  direction: z.enum(['in', 'out']),
  authorKind: z.enum(AUTHOR_KINDS),
  authorId: z.string().nullable(),
  contentKind: z.enum(CONTENT_KINDS),
  text: z.string().nullable(),
  private: z.boolean(),
  mentions: z
    .array(z.string())
    .describe('users a private note @mentions (each got a notification); empty on other messages'),
  clientMessageId: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  deliveryStatus: z.enum(DELIVERY_STATUSES).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  providerTs: z.number().nullable(),
  /** Channel specifics: automatic-message kind, group member who wrote, template sent, edits, quoted message. */
  meta: z.record(z.string(), z.unknown()),
  attachments: z.array(attachmentSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type MessageDto = z.infer<typeof messageSchema>;

/**
 * A file given by link, in webhooks and in replies alike. Only web links: operators see them as links and
 * providers fetch them, so javascript:, data: and file: are refused.
 */
export const webAttachmentSchema = z.object({
  url: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'attachment url must be http(s)'),
  name: z.string().max(300).optional(),
  mimeType: z.string().max(200).optional(),
});

const uploadRefSchema = z.object({
  uploadId: z.string().min(1).max(64).describe('id from POST /uploads (a file of this account)'),
});

/** A provider-approved template to send instead of free text (WhatsApp). */
export const templateContentSchema = z.object({
  name: z.string().min(1).max(512).describe('name of a provider-approved template (WhatsApp)'),
  language: z.string().min(2).max(15).describe('language code of the approved translation, e.g. en_US'),
  bodyParameters: z.array(z.string().max(1024)).max(20).optional().describe('values for {{1}}, {{2}}, ...'),
  headerParameters: z.array(z.string().max(1024)).max(5).optional(),
});
export type TemplateContent = z.infer<typeof templateContentSchema>;

/**
 * A quick-reply button on an outbound message. `id` comes back with the customer's tap (the inbound
 * message's `meta.buttonId`); `title` is what they see. Limits are the strictest of the channels that
 * draw buttons: Telegram's callback_data (1–64 bytes) and WhatsApp's reply-button title (20 characters).
 */
export const outboundButtonSchema = z.object({
  id: z
    .string()
    .min(1)
    .refine((s) => new TextEncoder().encode(s).length <= 64, 'at most 64 bytes (Telegram callback_data)')
    .describe('returned as `meta.buttonId` of the inbound message when the customer taps it'),
  title: z.string().trim().min(1).max(20).describe('the label the customer sees (up to 20 characters)'),
});
export type OutboundButton = z.infer<typeof outboundButtonSchema>;

/** Up to 10 buttons (WhatsApp: 3 as reply buttons, more as a list; Telegram: an inline keyboard). */
export const OUTBOUND_BUTTONS_MAX = 10;
export const outboundButtonsSchema = z
  .array(outboundButtonSchema)
  .min(1)
  .max(OUTBOUND_BUTTONS_MAX)
  .refine((b) => new Set(b.map((x) => x.id)).size === b.length, 'button ids must be unique')
  .describe(
    'quick-reply buttons under the text: drawn where `capabilities.features.buttons` is true (Telegram inline ' +
      'keyboard, WhatsApp interactive reply buttons or a list above 3, the widget), elsewhere appended to the ' +
      'text as a numbered list; a tap arrives as an inbound message whose text is the title and ' +
      '`meta.buttonId` the id',
  );

/** POST /api/v1/conversations/:id/messages */
export const sendMessageBody = z
  .object({
    text: z.string().trim().min(1).max(65_536).optional(),
    template: templateContentSchema
      .optional()
      .describe(
        'a provider-approved template instead of free text: allowed outside the WhatsApp 24-hour window',
      ),
    replyToMessageId: z.string().max(64).optional().describe('id of a message of this conversation to quote'),
    attachments: z
      .array(z.union([uploadRefSchema, webAttachmentSchema]))
      .max(10)
      .optional()
      .describe(
        'files: `{uploadId}` for a file uploaded with POST /uploads (channels upload the bytes to the ' +
          'provider, API-channel callbacks get a signed download link), or `{url, name?, mimeType?}` for ' +
          'media by link (the provider fetches it); sent as image, video, audio or document by type. ' +
          "An uploaded file the channel cannot carry (see the channel's `outboundMedia`) is refused before " +
          'anything is queued: 422 `unsupported_media_type`, `details.files[]` = {fileName, mimeType, size, ' +
          'reason: "type" | "size", allowed? | maxBytes?}; private notes take any upload',
      ),
    clientMessageId: z
      .string()
      .min(1)
      .max(100)
      .describe(
        'client-generated id: resending the same one to the same conversation never duplicates ' +
          '(unique per account, conversation and author)',
      ),
    private: z.boolean().default(false).describe('a private note for colleagues; never sent to the customer'),
    mentions: z
      .array(z.string().min(1).max(64))
      .max(20)
      .optional()
      .describe(
        'private notes only: user ids the note @mentions; each gets a notification (GET /notifications, live and ' +
          'on the desktop). Someone who cannot see the conversation is refused: 422 `mention_not_allowed`',
      ),
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
      })
      .optional()
      .describe(
        "a map point instead of text, where the channel's `capabilities.outbound.contentKinds` has `location` (Viber)",
      ),
    contact: z
      .object({
        name: z.string().trim().min(1).max(28),
        phone: z
          .string()
          .trim()
          .regex(/^\+?\d{3,18}$/),
      })
      .optional()
      .describe("a contact card instead of text, where the channel's contentKinds has `contact` (Viber)"),
    buttons: outboundButtonsSchema.optional(),
    channelId: z
      .string()
      .max(64)
      .optional()
      .describe(
        "reply on another channel of this conversation's customer (see GET /conversations/:id/reply-channels): " +
          "the message goes to their open conversation on that channel, or a new one; that channel's " +
          "messaging window and opt-outs apply (`window_closed` / `opted_out` as usual); the answer's " +
          '`conversationId` says where it landed',
      ),
    email: z
      .object({
        subject: z.string().trim().min(1).max(250).optional(),
        cc: z.array(z.string().trim().toLowerCase().email().max(254)).max(20).optional(),
      })
      .optional()
      .describe(
        "e-mail conversations only: the subject (default `Re: ` and the thread's subject) and Cc addresses of this reply",
      ),
  })
  .refine((b) => !(b.text !== undefined && b.template !== undefined), {
    message: 'send either text or template',
    path: ['text'],
  })
  .refine(
    (b) =>
      b.text !== undefined ||
      b.template !== undefined ||
      (b.attachments?.length ?? 0) > 0 ||
      b.location !== undefined ||
      b.contact !== undefined,
    { message: 'send text, a template or attachments', path: ['text'] },
  )
  .refine(
    (b) =>
      (b.location === undefined && b.contact === undefined) ||
      (b.text === undefined &&
        b.template === undefined &&
        !b.attachments?.length &&
        !(b.location && b.contact) &&
        !b.private),
    { message: 'a location or a contact is sent alone, and never as a private note', path: ['location'] },
  )
  .refine((b) => !(b.template && b.attachments?.length), {
    message: 'a template carries no attachments',
    path: ['attachments'],
  })
  .refine((b) => !(b.private && b.template), {
    message: 'a private note cannot be a template',
    path: ['template'],
  })
  .refine((b) => !(b.private && b.channelId), {
    message: 'a private note stays in this conversation',
    path: ['channelId'],
  })
  .refine((b) => !b.mentions?.length || b.private, {
    message: 'only a private note mentions colleagues',
    path: ['mentions'],
  })
  .refine((b) => !b.buttons || (b.text !== undefined && !b.private), {
    message: 'buttons go under a text, never on a private note',
    path: ['buttons'],
  });
export type SendMessageBody = z.input<typeof sendMessageBody>;

/** A file uploaded for a reply (`POST /api/v1/uploads`), sent by `attachments: [{uploadId}]`. */
export const uploadSchema = z.object({
  id: z.string().describe('pass as `attachments: [{uploadId}]` when sending a message'),
  fileName: z.string().nullable().describe('the name the file was uploaded with (path and controls removed)'),
  mimeType: z.string().describe('sniffed from the bytes, not taken from the client'),
  size: z.number().describe('bytes'),
  kind: z.enum(CONTENT_KINDS).describe('image, video, audio or document: how channels will send it'),
  sha256: z.string().describe('hex SHA-256 of the bytes'),
});
export type UploadDto = z.infer<typeof uploadSchema>;
