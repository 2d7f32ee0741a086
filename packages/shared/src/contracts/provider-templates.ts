import { z } from 'zod';

/**
 * `GET /conversations/{id}/provider-templates`: the provider-approved templates (WhatsApp) the
 * conversation's channel may send when the messaging window is closed.
 */
export const providerTemplateSchema = z.object({
  name: z.string(),
  language: z.string().describe('send it with this language code'),
  category: z.string().nullable().describe('MARKETING, UTILITY or AUTHENTICATION'),
  body: z.string().nullable().describe('body text with {{1}}, {{2}}... placeholders'),
  bodyParameters: z.number().int().describe('values needed for the body (template.bodyParameters)'),
  headerParameters: z.number().int().describe('values needed for a text header (template.headerParameters)'),
});
export type ProviderTemplate = z.infer<typeof providerTemplateSchema>;

export const providerTemplatesSchema = z.object({
  available: z.boolean().describe('whether the provider could list its approved templates'),
  reason: z
    .enum(['ok', 'not_supported', 'no_business_account'])
    .describe(
      'not_supported: the channel has no provider templates; no_business_account: a WhatsApp channel ' +
        'without settings.businessAccountId (templates can still be sent by name)',
    ),
  items: z.array(providerTemplateSchema),
});
export type ProviderTemplates = z.infer<typeof providerTemplatesSchema>;
