import { z } from 'zod';

export const outboundMediaSchema = z
  .object({
    rules: z
      .array(
        z.object({
          kind: z
            .enum(['image', 'video', 'audio', 'document', 'sticker', 'file'])
            .describe('how a matching file goes out at the provider'),
          mimeTypes: z
            .union([z.array(z.string()), z.literal('any')])
            .describe('exact MIME types, `type/*` or `prefix*` patterns, or "any"'),
          maxBytes: z.number().int().describe('largest file of these types (capped at MEDIA_MAX_BYTES)'),
        }),
      )
      .describe('a file can be sent when some rule takes both its type and its size'),
    maxTotalBytes: z
      .number()
      .int()
      .nullable()
      .describe('all files of one message together (Twilio MMS: 5 MB), or null'),
  })
  .describe(
    "Which uploaded files this channel can send to the customer (the provider's published limits). A reply " +
      'with a file outside them is refused with 422 `unsupported_media_type`; private notes take any upload.',
  );
