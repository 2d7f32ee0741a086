import { fieldErrors } from '../admin/routing/field-errors.ts';
import type { Translate } from '../../i18n/i18n.tsx';
import type { CreateBroadcastBody } from './broadcasts-api.ts';

export type ContentKind = 'text' | 'template';

/** What the form holds, as typed. */
export interface BroadcastForm {
  name: string;
  channelId: string | null;
  label: string;
  segmentId: string | null;
  ids: string;
  kind: ContentKind;
  text: string;
  templateName: string;
  templateLanguage: string;
  templateVariables: string;
}

export const EMPTY_FORM: BroadcastForm = {
  name: '',
  channelId: null,
  label: '',
  segmentId: null,
  ids: '',
  kind: 'text',
  text: '',
  templateName: '',
  templateLanguage: '',
  templateVariables: '',
};

/** The form's fields, named like the request's (`template` covers its parts). */
export type FormField = 'name' | 'channelId' | 'label' | 'segmentId' | 'contactIds' | 'text' | 'template';

/** Pasted contact ids: separated by spaces, commas, semicolons or new lines; each once, in order. */
export function parseContactIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** Template variables, one per line (a line may hold commas, so lines are the only separator). */
export function parseVariables(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Provider templates exist only where the channel type declares them (`capabilities.window.templates`,
 * WhatsApp); elsewhere the form sends text whatever was picked.
 */
export function effectiveKind(f: BroadcastForm, templates: boolean): ContentKind {
  return templates ? f.kind : 'text';
}

/** Checks made before asking the server (which checks again): each missing field by name. */
export function missingFields(
  f: BroadcastForm,
  templates: boolean,
): Partial<Record<FormField, 'required' | 'audience'>> {
  const out: Partial<Record<FormField, 'required' | 'audience'>> = {};
  if (!f.channelId) out.channelId = 'required';
  if (!f.label.trim() && !f.segmentId && parseContactIds(f.ids).length === 0) out.label = 'audience';
  if (effectiveKind(f, templates) === 'text') {
    if (!f.text.trim()) out.text = 'required';
  } else if (!f.templateName.trim() || !f.templateLanguage.trim()) out.template = 'required';
  return out;
}

/** The request body, without the client id (which depends on it). */
export function broadcastBody(
  f: BroadcastForm,
  templates: boolean,
): Omit<CreateBroadcastBody, 'clientBroadcastId'> {
  const ids = parseContactIds(f.ids);
  const variables = parseVariables(f.templateVariables);
  return {
    channelId: f.channelId ?? '',
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    ...(f.label.trim() ? { label: f.label.trim() } : {}),
    ...(f.segmentId ? { segmentId: f.segmentId } : {}),
    ...(ids.length ? { contactIds: ids } : {}),
    ...(effectiveKind(f, templates) === 'text'
      ? { text: f.text.trim() }
      : {
          template: {
            name: f.templateName.trim(),
            language: f.templateLanguage.trim(),
            ...(variables.length ? { bodyParameters: variables } : {}),
          },
        }),
  };
}

const FIELDS: FormField[] = ['name', 'channelId', 'label', 'segmentId', 'contactIds', 'text', 'template'];

/**
 * The server's validation errors placed at the form's fields, in the UI language where the server's
 * words are known (unknown ids, an empty label); otherwise its own English detail. Errors at no field
 * of the form are returned under `other`.
 */
export function serverFieldErrors(
  t: Translate,
  err: unknown,
): { fields: Partial<Record<FormField, string>>; other: string[] } {
  const fields: Partial<Record<FormField, string>> = {};
  const other: string[] = [];
  for (const [path, message] of Object.entries(fieldErrors(err))) {
    const field = FIELDS.find((f) => path === f || path.startsWith(`${f}.`));
    if (!field) {
      other.push(path ? `${path}: ${message}` : message);
      continue;
    }
    fields[field] ??= localise(t, field, message);
  }
  return { fields, other };
}

function localise(t: Translate, field: FormField, message: string): string {
  if (field === 'contactIds' && message.startsWith('unknown: '))
    return t('broadcasts.form.unknownIds', { ids: message.slice('unknown: '.length) });
  if (field === 'label' && message === 'no contact has this label') return t('broadcasts.form.labelEmpty');
  if (field === 'segmentId' && message === 'no contact matches this segment')
    return t('broadcasts.form.segmentEmpty');
  if (field === 'template' && message.includes('WhatsApp channels only'))
    return t('broadcasts.form.templateOnlyWhatsApp');
  return message;
}
