import type { SettingField } from '@switchboard/shared';
import { toSettings } from './channel-types.ts';

/**
 * Editing a channel's settings: the form starts from what is stored (secrets are never shown back, so
 * their fields start empty and an empty one keeps the stored secret), and switches are always sent, so
 * turning one off takes effect.
 */
export function initialEditValues(
  form: SettingField[],
  settings: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of form) {
    if (f.secret) continue;
    const v = settings[f.name];
    if (f.type === 'boolean') out[f.name] = v === true ? 'true' : '';
    else if (Array.isArray(v)) out[f.name] = v.join(', ');
    else if (typeof v === 'string' || typeof v === 'number') out[f.name] = String(v);
    else if (f.type === 'object' && v && typeof v === 'object') out[f.name] = JSON.stringify(v);
  }
  return out;
}

export function editedSettings(
  form: SettingField[],
  values: Record<string, string>,
): Record<string, unknown> {
  const out = toSettings(form, values);
  for (const f of form) if (f.type === 'boolean') out[f.name] = values[f.name] === 'true';
  return out;
}

/** Fields as the edit form shows them: a secret is no longer required (empty keeps the stored one). */
export function editFields(form: SettingField[]): SettingField[] {
  return form.map((f) => (f.secret ? { ...f, required: false } : f));
}
