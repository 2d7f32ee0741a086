import type { SettingField } from '@switchboard/shared';
import type { MessageKey } from '../../i18n/i18n.tsx';

/** Field types the channel form can edit; `object` settings are set through the API. */
const FORM_TYPES = new Set<SettingField['type']>([
  'text',
  'url',
  'secret',
  'select',
  'boolean',
  'number',
  'list',
  'localized',
]);

/**
 * `object` settings are set through the API, except those the form needs (required ones, and those whose
 * descriptor gives an example JSON as placeholder: an e-mail channel's `smtp` and `imap`), taken as JSON.
 */
const inForm = (f: SettingField) =>
  FORM_TYPES.has(f.type) || (f.type === 'object' && !f.advanced && (f.required || !!f.placeholder));

/** The fields of a type's settings form (from `GET /channel-types`) the console shows, split by need. */
export function formFields(form: SettingField[]): { main: SettingField[]; advanced: SettingField[] } {
  const shown = form.filter(inForm);
  return { main: shown.filter((f) => !f.advanced), advanced: shown.filter((f) => f.advanced) };
}

/** The settings object for the server, from the form's text values (empty = leave it out). */
export function toSettings(form: SettingField[], values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form) {
    if (!inForm(f)) continue;
    const v = values[f.name]?.trim();
    if (!v) continue;
    switch (f.type) {
      case 'object':
        // Not JSON: sent as typed, and the server says what it expected.
        try {
          out[f.name] = JSON.parse(v);
        } catch {
          out[f.name] = v;
        }
        break;
      case 'localized':
        // One text for both languages; the API takes them apart.
        out[f.name] = { en: v, ru: v };
        break;
      case 'list':
        out[f.name] = v
          .split(/[,\s]+/)
          .map((o) => o.trim())
          .filter(Boolean);
        break;
      case 'number':
        out[f.name] = Number(v);
        break;
      case 'boolean':
        out[f.name] = v === 'true';
        break;
      default:
        out[f.name] = v;
    }
  }
  return out;
}

export interface ConnectionField {
  key: string;
  label: MessageKey;
  secret?: boolean;
  code?: boolean;
  testId?: string;
}

/** The connection details the server describes per type, in display order. */
export const CONNECTION_FIELDS: ConnectionField[] = [
  { key: 'webhookUrl', label: 'admin.channels.webhookUrl', testId: 'channel-webhook-url' },
  { key: 'secret', label: 'admin.channels.secret', secret: true, testId: 'channel-secret' },
  { key: 'signatureHeader', label: 'admin.channels.signatureHeader' },
  { key: 'botUsername', label: 'conn.botUsername' },
  { key: 'botLink', label: 'conn.botLink' },
  { key: 'verifyToken', label: 'conn.verifyToken', secret: true },
  { key: 'displayPhoneNumber', label: 'conn.displayPhoneNumber' },
  { key: 'verifiedName', label: 'conn.verifiedName' },
  { key: 'pageName', label: 'conn.pageName' },
  { key: 'username', label: 'conn.username' },
  { key: 'accountName', label: 'conn.accountName' },
  { key: 'groupName', label: 'conn.groupName' },
  { key: 'groupLink', label: 'conn.groupLink' },
  { key: 'confirmationCode', label: 'conn.confirmationCode' },
  { key: 'snippet', label: 'conn.snippet', code: true },
  { key: 'scriptUrl', label: 'conn.scriptUrl' },
  { key: 'identitySecret', label: 'conn.identitySecret', secret: true },
];
