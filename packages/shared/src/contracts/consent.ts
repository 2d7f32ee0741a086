import { z } from 'zod';

/** A contact's consent per scope (`GET|PUT /contacts/{id}/consent`): opt-outs and explicit opt-ins. */

export const CONSENT_VIAS = ['keyword', 'provider', 'api', 'import'] as const;
export type ConsentVia = (typeof CONSENT_VIAS)[number];

export const CONSENT_STATUSES = ['none', 'opted_in', 'opted_out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const contactConsentSchema = z.object({
  scope: z
    .string()
    .describe('`sms` for every SMS channel; otherwise the channel type (telegram, whatsapp, api, widget)'),
  status: z
    .enum(CONSENT_STATUSES)
    .describe(
      'opted_out: nothing may be sent in this scope; opted_in: explicit consent, the business may write outside the messaging window where the provider allows it (not WhatsApp free text); none: the window alone decides',
    ),
  optedOutAt: z.number().nullable(),
  optOutVia: z
    .enum(CONSENT_VIAS)
    .nullable()
    .describe('how the last opt-out was made: keyword, provider (the customer), api (a person), import'),
  optOutSource: z.string().nullable().describe('the keyword, the provider error, or the recorded source'),
  optedInAt: z.number().nullable(),
  optInVia: z.enum(CONSENT_VIAS).nullable(),
  optInSource: z.string().nullable(),
  updatedAt: z.number().nullable(),
});
export type ContactConsent = z.infer<typeof contactConsentSchema>;

export const contactConsentListSchema = z.object({ items: z.array(contactConsentSchema) });

export const contactConsentBody = z.object({
  optIn: z.boolean().describe('true: record an explicit opt-in; false: record an opt-out'),
  source: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe('where the decision comes from, kept on record (e.g. "signup form 2026-03", "asked by phone")'),
  scope: z
    .string()
    .trim()
    .regex(/^[a-z_]{2,40}$/)
    .optional()
    .describe('one scope; default: every scope the contact is reachable in (their channels)'),
});
