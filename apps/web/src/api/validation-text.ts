import type { Translate } from '../i18n/i18n.tsx';

/** One entry of a `validation_error`'s details, as the server sends it (see apps/server/src/http/errors.ts). */
export interface ValidationIssue {
  path: string;
  message: string;
  code?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
  expected?: string;
  format?: string;
  values?: unknown[];
}

export function isValidationIssue(v: unknown): v is ValidationIssue {
  const i = v as Partial<ValidationIssue> | null;
  return typeof i?.path === 'string' && typeof i.message === 'string';
}

/**
 * The issue in the console's language when the schema's code says what went wrong; the server's own
 * (English) sentence otherwise, e.g. for rules only the server knows (an unknown template variable).
 */
export function issueText(t: Translate, i: ValidationIssue): string {
  const n = i.minimum ?? i.maximum;
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string')
        return i.minimum === 1 ? t('validation.required') : t('validation.minChars', { n: n ?? 0 });
      if (i.origin === 'array' || i.origin === 'set') return t('validation.minItems', { n: n ?? 0 });
      if (i.origin === 'number' || i.origin === 'int') return t('validation.min', { n: n ?? 0 });
      break;
    case 'too_big':
      if (i.origin === 'string') return t('validation.maxChars', { n: n ?? 0 });
      if (i.origin === 'array' || i.origin === 'set') return t('validation.maxItems', { n: n ?? 0 });
      if (i.origin === 'number' || i.origin === 'int') return t('validation.max', { n: n ?? 0 });
      break;
    case 'invalid_type':
      return /received undefined/.test(i.message) ? t('validation.required') : t('validation.type');
    case 'invalid_format':
      if (i.format === 'email') return t('validation.email');
      if (i.format === 'url') return t('validation.url');
      return t('validation.format');
    case 'invalid_value':
      return Array.isArray(i.values) && i.values.length
        ? t('validation.oneOf', { values: i.values.map(String).join(', ') })
        : t('validation.format');
    default:
      break;
  }
  return i.message;
}
