import { z } from 'zod';

/** The messaging window of a conversation (or of a customer on one channel): `GET /conversations/:id/window`. */
export const windowSchema = z.object({
  open: z.boolean().describe('free text may be sent now'),
  reason: z
    .enum(['open', 'unlimited', 'no_inbound', 'expired', 'opted_in', 'opted_out'])
    .describe(
      'opted_in: the contact explicitly opted in, so the business may write without a window on this channel (closesAt null; never on WhatsApp); opted_out: the contact opted out here, nothing may be sent (templates included)',
    ),
  windowMs: z.number().nullable().describe('window length on this channel; null = unlimited'),
  lastInboundAt: z.number().nullable().describe("provider's time of the customer's last message"),
  closesAt: z
    .number()
    .nullable()
    .describe('when it closes (open) or closed (expired); recompute as lastInboundAt + windowMs on updates'),
  fallback: z
    .enum(['template', 'none'])
    .describe('what may be sent while closed: an approved template, or nothing'),
  tag: z
    .object({
      name: z.string().describe("the provider's tag, e.g. HUMAN_AGENT"),
      closesAt: z.number().describe('until when a reply with it may go'),
    })
    .nullable()
    .describe(
      "the window has closed, but an operator's own reply still goes out with this provider tag until closesAt " +
        '(Messenger and Instagram HUMAN_AGENT, up to 7 days, where the channel enables it); automatic messages, ' +
        'broadcasts and API clients may not use it',
    ),
  session: z
    .object({
      closesAt: z.number().nullable().describe('when the free session ends (null: the customer never wrote)'),
      billable: z.boolean().describe('a message sent now is outside the session and billed by the provider'),
    })
    .nullable()
    .optional()
    .describe(
      "the provider's free session, on channels that have one (Viber: 24 h after the customer's last message); " +
        'sending is allowed either way, messages sent outside it are billed and marked `meta.billable`',
    ),
  now: z.number().describe("server time, so a countdown does not depend on the browser's clock"),
});
export type MessagingWindowDto = z.infer<typeof windowSchema>;

/** A send the messaging window (or an opt-out) refused, from `GET /refused-sends`. */
export const refusedSendSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  path: z.enum(['reply', 'api', 'automatic', 'template']),
  actorId: z.string().nullable(),
  reason: z.string(),
  windowClosedAt: z.number().nullable(),
  createdAt: z.number(),
});
export type RefusedSendDto = z.infer<typeof refusedSendSchema>;
