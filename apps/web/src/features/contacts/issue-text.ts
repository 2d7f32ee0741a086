import type { MessageKey, Translate } from '../../i18n/i18n.tsx';
import type { RowIssue, RowProblem } from './contacts-api.ts';

const FIELDS = ['name', 'phone', 'email', 'channelId', 'externalId', 'labels', 'optIn', 'contact'];
const CODES = ['too_long', 'too_many', 'missing', 'unknown_channel', 'not_importable', 'duplicate'];

function scopeText(t: Translate, scope: string | undefined): string {
  if (scope === 'sms') return t('scope.sms');
  if (scope && ['api', 'telegram', 'whatsapp', 'widget'].includes(scope))
    return t(`channelType.${scope}` as MessageKey);
  return scope ?? '';
}

function invalidKey(i: RowIssue): MessageKey {
  if (i.value === undefined) return 'contacts.issue.invalidType';
  if (i.field === 'email') return 'contacts.issue.invalidEmail';
  if (i.field === 'optIn') return 'contacts.issue.invalidOptIn';
  if (i.channelType === 'twilio_sms' || i.channelType === 'whatsapp') return 'contacts.issue.invalidPhone';
  if (i.channelType === 'telegram') return 'contacts.issue.invalidChat';
  return 'contacts.issue.invalid';
}

/** One issue in the console's language; null when this console does not know the code. */
export function issueText(t: Translate, i: RowIssue): string | null {
  if (!FIELDS.includes(i.field)) return null;
  const params = {
    field: t(`contacts.field.${i.field}` as MessageKey),
    value: i.value ?? '',
    firstRow: i.firstRow ?? '',
    scope: scopeText(t, i.scope),
  };
  if (i.code === 'invalid') return t(invalidKey(i), params);
  if (i.code === 'opt_in_refused') return t('contacts.issue.opt_in_refused', params);
  if (CODES.includes(i.code)) return t(`contacts.issue.${i.code}` as MessageKey, params);
  return null;
}

/** A skipped row's problems translated, or the server's English message if any code is unknown. */
export function problemText(t: Translate, p: RowProblem): string {
  const parts = (p.issues ?? []).map((i) => issueText(t, i));
  if (parts.length === 0 || parts.some((x) => x === null)) return p.message;
  return parts.join('; ');
}
