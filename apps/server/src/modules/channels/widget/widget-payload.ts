import { RECEIPT_STATUSES } from '@switchboard/shared';
import { CONTENT_KINDS } from '@switchboard/shared';
import { z } from 'zod';

/**
 * What the visitor routes store as the channel's "provider events". They are written only by our own
 * routes after validation, and re-validated by the worker before use.
 */
export const widgetMessagePayload = z.object({
  type: z.literal('message'),
  externalId: z.string().min(1).max(300),
  clientMessageId: z.string().min(1).max(64),
  contact: z.object({
    name: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(50).optional(),
  }),
  text: z.string().max(10_000).nullable(),
  attachments: z
    .array(
      z.object({
        key: z.string().max(400),
        name: z.string().max(300).nullable(),
        mimeType: z.string().max(200),
        size: z.number().int().nonnegative(),
        sha256: z.string().max(64),
        kind: z.enum(CONTENT_KINDS),
      }),
    )
    .max(10),
  /** The page the visitor wrote from, shown to operators. */
  pageUrl: z.string().max(2000).nullable(),
  /** The id of the button the visitor tapped (the text is its title). */
  buttonId: z.string().max(64).optional(),
  sentAt: z.number(),
});
export type WidgetMessagePayload = z.infer<typeof widgetMessagePayload>;

export const widgetReceiptPayload = z.object({
  type: z.literal('receipt'),
  status: z.enum(RECEIPT_STATUSES),
  /** Provider ids of our outbound messages (the widget adapter uses the message id). */
  messageIds: z.array(z.string().max(64)).max(200),
});
export type WidgetReceiptPayload = z.infer<typeof widgetReceiptPayload>;

export const widgetPayload = z.discriminatedUnion('type', [widgetMessagePayload, widgetReceiptPayload]);

/**
 * A visitor message's provider id: unique per channel because it includes the visitor, so two visitors
 * choosing the same client id never collide. Client ids have no `/`, so the last one splits it.
 */
export function visitorMessageId(externalId: string, clientMessageId: string): string {
  return `${externalId}/${clientMessageId}`;
}

export function splitVisitorMessageId(
  providerMessageId: string,
): { externalId: string; clientMessageId: string } | null {
  const i = providerMessageId.lastIndexOf('/');
  if (i <= 0 || i === providerMessageId.length - 1) return null;
  return { externalId: providerMessageId.slice(0, i), clientMessageId: providerMessageId.slice(i + 1) };
}
