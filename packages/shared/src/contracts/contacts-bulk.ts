import { z } from 'zod';
import { labelText } from './contacts.ts';

/** Contacts one bulk action takes (a page of the contacts list, selected). */
export const MAX_BULK_CONTACTS = 500;

export const contactBulkBody = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('addLabel'),
    ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_CONTACTS),
    label: labelText,
  }),
  z.object({
    action: z.literal('removeLabel'),
    ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_CONTACTS),
    label: labelText,
  }),
  z.object({
    action: z.literal('erase'),
    ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_CONTACTS),
    erase: z.literal(true).describe('must be true: erasure cannot be undone'),
  }),
]);
export type ContactBulkBody = z.infer<typeof contactBulkBody>;

export const contactBulkResultSchema = z.object({
  changed: z.number().int().describe('contacts the action changed (labelled, unlabelled or erased)'),
  unchanged: z
    .number()
    .int()
    .describe('contacts that already were so (had the label, had none, erased before)'),
  notFound: z.array(z.string()).describe('ids that are no contact of this account'),
});
export type ContactBulkResult = z.infer<typeof contactBulkResultSchema>;
