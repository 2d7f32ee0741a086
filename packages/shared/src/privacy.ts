import { z } from 'zod';

/** `DELETE /api/v1/contacts/:id?erase=true`: what a contact's erasure removed. */
export const contactErasureSchema = z.object({
  contactId: z.string(),
  erased: z.literal(true),
  alreadyErased: z
    .boolean()
    .describe('true when the contact had been erased before: nothing more to do (the call is idempotent)'),
  conversations: z.number().int().describe('conversations deleted with every message in them'),
  messages: z.number().int(),
  files: z
    .number()
    .int()
    .describe('stored files scheduled for deletion (attachments no other message shares)'),
});
export type ContactErasure = z.infer<typeof contactErasureSchema>;

const exportAttachment = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string().nullable(),
  mimeType: z.string().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  file: z.string().nullable().describe('path of the file inside the ZIP, or null when no bytes are stored'),
});

const exportMessage = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  authorKind: z.string(),
  authorId: z.string().nullable(),
  private: z.boolean(),
  contentKind: z.string(),
  text: z.string().nullable(),
  deliveryStatus: z.string().nullable(),
  createdAt: z.number(),
  attachments: z.array(exportAttachment),
});

/** `contact.json` inside the ZIP of `GET /api/v1/contacts/:id/export` (a data subject access request). */
export const contactExportSchema = z.object({
  format: z.literal('switchboard.contact-export/1'),
  exportedAt: z.number(),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    labels: z.array(z.string()),
    createdAt: z.number(),
    updatedAt: z.number(),
  }),
  identities: z.array(
    z.object({
      channelId: z.string(),
      channelType: z.string(),
      externalId: z.string(),
      createdAt: z.number(),
    }),
  ),
  consents: z.array(z.record(z.string(), z.unknown())),
  notes: z.array(
    z.object({ id: z.string(), text: z.string(), authorId: z.string().nullable(), createdAt: z.number() }),
  ),
  conversations: z.array(
    z.object({
      id: z.string(),
      channelId: z.string(),
      status: z.string(),
      createdAt: z.number(),
      messages: z.array(exportMessage),
    }),
  ),
});
export type ContactExport = z.infer<typeof contactExportSchema>;
