import { ApiError } from '../../../api/http.ts';
import { isValidationIssue, issueText } from '../../../api/validation-text.ts';
import type { Translate } from '../../../i18n/i18n.tsx';

/**
 * A validation failure from the API, by field: `{"automaticMessages.offline.text.en": "unknown variable"}`.
 * The server names each failing field in `error.details` as `[{path: "body.a.b", message}]`.
 */
export type FieldErrors = Record<string, string>;

export function fieldErrors(err: unknown, t?: Translate): FieldErrors {
  if (!(err instanceof ApiError) || err.code !== 'validation_error' || !Array.isArray(err.details)) return {};
  const out: FieldErrors = {};
  for (const issue of err.details as unknown[]) {
    if (!isValidationIssue(issue)) continue;
    const field = issue.path.replace(/^body\.?/, '');
    out[field] ??= t ? issueText(t, issue) : issue.message;
  }
  return out;
}

/** The first error at a field or anywhere under it ("weekly.mon" also catches "weekly.mon.0.to"). */
export function errorAt(errors: FieldErrors, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const prefix = `${field}.`;
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) return v;
  return undefined;
}

/** Errors the form shows at no field of its own (so they are not lost). */
export function unplacedErrors(errors: FieldErrors, placed: string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !placed.some((p) => k === p || k.startsWith(`${p}.`)))
    .map(([k, v]) => (k ? `${k}: ${v}` : v));
}
