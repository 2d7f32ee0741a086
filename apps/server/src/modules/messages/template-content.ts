import { type TemplateContent, templateContentSchema } from '@switchboard/shared';

export { templateContentSchema, type TemplateContent };

/** What the conversation shows for a template send (the provider renders the real text). */
export function templateBody(t: TemplateContent): string {
  return `[${t.name}] ${(t.bodyParameters ?? []).join(' · ')}`.trim();
}
