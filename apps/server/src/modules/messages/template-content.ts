import { z } from 'zod';

/** A provider-approved template to send instead of free text (WhatsApp). */
export const templateContentSchema = z.object({
  name: z.string().min(1).max(512).describe('name of a provider-approved template (WhatsApp)'),
  language: z.string().min(2).max(15).describe('language code of the approved translation, e.g. en_US'),
  bodyParameters: z.array(z.string().max(1024)).max(20).optional().describe('values for {{1}}, {{2}}, ...'),
  headerParameters: z.array(z.string().max(1024)).max(5).optional(),
});
export type TemplateContent = z.infer<typeof templateContentSchema>;

/** What the conversation shows for a template send (the provider renders the real text). */
export function templateBody(t: TemplateContent): string {
  return `[${t.name}] ${(t.bodyParameters ?? []).join(' · ')}`.trim();
}
