import type { ChannelNaming } from '../../api/channel-types.ts';
import type { MessageKey, Translate } from '../../i18n/i18n.tsx';
import type { RowIssue, RowProblem } from './contacts-api.ts';

const FIELDS = ['name', 'phone', 'email', 'channelId', 'externalId', 'labels', 'optIn', 'contact'];
const CODES = ['too_long', 'too_many', 'missing', 'unknown_channel', 'not_importable', 'duplicate'];

/** An invalid value; an address is worded by how its channel type addresses customers. */
function invalidText(
  t: Translate,
  i: RowIssue,
  names: ChannelNaming,
  params: Record<string, string | number>,
) {
  if (i.value === undefined) return t('contacts.issue.invalidType', params);
  if (i.field === 'email') return t('contacts.issue.invalidEmail', params);
  if (i.field === 'optIn') return t('contacts.issue.invalidOptIn', params);
  const addressing = i.channelType ? names.find(i.channelType)?.capabilities.addressing : undefined;
  if (addressing?.phone) return t('contacts.issue.invalidPhone', params);
  if (addressing?.example)
    return t('contacts.issue.invalidAddress', {
      ...params,
      noun: names.lang === 'ru' ? addressing.noun.ru : addressing.noun.en,
      example: addressing.example,
    });
  return t('contacts.issue.invalid', params);
}

/** One issue in the console's language; null when this console does not know the code. */
export function issueText(t: Translate, i: RowIssue, names: ChannelNaming): string | null {
  if (!FIELDS.includes(i.field)) return null;
  const params = {
    field: t(`contacts.field.${i.field}` as MessageKey),
    value: i.value ?? '',
    firstRow: i.firstRow ?? '',
    scope: i.scope ? names.scope(i.scope) : '',
  };
  if (i.code === 'invalid') return invalidText(t, i, names, params);
  if (i.code === 'opt_in_refused') return t('contacts.issue.opt_in_refused', params);
  if (CODES.includes(i.code)) return t(`contacts.issue.${i.code}` as MessageKey, params);
  return null;
}

/** A skipped row's problems translated, or the server's English message if any code is unknown. */
export function problemText(t: Translate, p: RowProblem, names: ChannelNaming): string {
  const parts = (p.issues ?? []).map((i) => issueText(t, i, names));
  if (parts.length === 0 || parts.some((x) => x === null)) return p.message;
  return parts.join('; ');
}
