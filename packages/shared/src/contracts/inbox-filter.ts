import { z } from 'zod';
import { attributeFilterQuery } from './attributes.ts';
import { slaStateQuery } from './inbox-order.ts';

/**
 * The inbox filters that narrow by what a conversation carries (a label, custom attributes, its SLA
 * state), defined once for every request that must show the same conversations as the list:
 * `GET /conversations`, `GET /conversations/counts` and `POST /exports`.
 */
export const inboxFilterSchema = z.object({
  label: z.string().trim().min(1).max(64).optional().describe('only conversations with this label'),
  attribute: attributeFilterQuery,
  slaState: slaStateQuery,
});
export type InboxFilterQuery = z.infer<typeof inboxFilterSchema>;
