import { ApiError } from '../../../api/http.ts';

/**
 * A validation failure from the API, by field: `{"automaticMessages.offline.text.en": "unknown variable"}`.
 * The server names each failing field in `error.details` as `[{path: "body.a.b", message}]`.
 */
export type FieldErrors = Record<string, string>;

export function fieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError) || err.code !== 'validation_error' || !Array.isArray(err.details)) return {};
  const out: FieldErrors = {};
  for (const issue of err.details as unknown[]) {
    const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const field = path.replace(/^body\.?/, '');
    out[field] ??= message;
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
