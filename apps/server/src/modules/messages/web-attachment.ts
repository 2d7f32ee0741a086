import { z } from 'zod';

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
