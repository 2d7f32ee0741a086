import type { ErrorCode } from '@switchboard/shared';
import { displayDeep } from '@switchboard/shared/text';

/** A failed API call: `code` is the server's stable error code (or a client-side one for network trouble). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'unknown',
    message: string,
    /** The server's `error.details` (for validation errors: `[{path, message}]`, path like `body.name`). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token lives in memory only (it comes from /me); the session itself is the cookie. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** For requests made outside `api()` (uploads with progress use XMLHttpRequest). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

const SAFE = new Set(['GET', 'HEAD']);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network_error', (err as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'unknown',
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.details,
    );
  }
  // Customer-controlled text is made safe to show here, once for every screen: direction overrides and
  // control characters become a visible U+FFFD (the stored data keeps them; see displayText).
  return displayDeep(json) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T = void>(path: string) => api<T>('DELETE', path);

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
