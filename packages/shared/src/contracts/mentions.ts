import { z } from 'zod';

/** `GET /search/mentions`: who mentioned a word or phrase, by local day of the account, and the customers. */
export const mentionsCustomerSchema = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  messages: z.number(),
  conversations: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
});
export type MentionsCustomer = z.infer<typeof mentionsCustomerSchema>;

export const mentionsReportSchema = z.object({
  timeZone: z.string(),
  totals: z.object({ messages: z.number(), conversations: z.number(), customers: z.number() }),
  byDay: z.array(
    z.object({ day: z.string(), messages: z.number(), conversations: z.number(), customers: z.number() }),
  ),
  customers: z.array(mentionsCustomerSchema),
  customersTotal: z.number(),
});
export type MentionsReport = z.infer<typeof mentionsReportSchema>;
