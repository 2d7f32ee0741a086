import type { GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import { type ProviderAnswer, providerFetch } from '../../../infra/net/provider-http.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';

export const VK_API = 'https://api.vk.ru/method';
export const VK_API_VERSION = '5.199';

/** Only outbound HTTP is needed; the app context satisfies this. */
export interface Http {
  fetch: GuardedFetch;
}

/** `{"error": {"error_code", "error_msg", "request_params"}}`: VK answers it with HTTP 200. */
export class VkApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    /** Milliseconds from an HTTP `Retry-After` (a throttling front end), when one came. */
    readonly retryAfterMs?: number,
  ) {
    super(`VK ${method} failed: ${errorCode} ${description}`);
  }
}

/** VK could not be reached, or answered something that is not the VK API (a 5xx page). */
export class VkNetworkError extends Error {}

export function vkApiBase(channel: ChannelRuntime): string {
  const base = channel.settings.apiBaseUrl;
  return (typeof base === 'string' && base ? base : VK_API).replace(/\/+$/, '');
}

export function vkApiVersion(channel: ChannelRuntime): string {
  const v = channel.settings.apiVersion;
  return typeof v === 'string' && v ? v : VK_API_VERSION;
}

/**
 * Calls `POST <base>/<method>` with form parameters (as VK documents), the token and version among them,
 * and returns `response`. The token goes in the body, never the URL, so error texts cannot leak it.
 */
export async function callVk<T>(
  http: Http,
  channel: ChannelRuntime,
  method: string,
  params: Record<string, string | number | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const token = channel.credentials.accessToken;
  if (!token) throw new VkApiError(method, 5, 'This channel has no access token');
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
  form.set('access_token', token);
  form.set('v', vkApiVersion(channel));
  const res = await providerFetch(
    http.fetch,
    `${vkApiBase(channel)}/${method}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      timeoutMs,
    },
    (detail) => new VkNetworkError(`VK ${method}: ${detail}`),
  );
  return readAnswer<T>(method, res);
}

/** Reads a VK API (or upload server) answer: `response`, or the error VK sends with HTTP 200. */
export function readAnswer<T>(method: string, res: ProviderAnswer): T {
  if (res.status === 429) throw new VkApiError(method, 6, 'Too many requests', res.retryAfterMs);
  const body = res.json as
    | { response?: unknown; error?: { error_code?: unknown; error_msg?: unknown } }
    | undefined;
  if (body === undefined) {
    if (res.status >= 500) throw new VkNetworkError(`VK ${method}: HTTP ${res.status}`);
    throw new VkApiError(method, res.status, `HTTP ${res.status} (not a VK API answer)`);
  }
  if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
    const e = body.error;
    throw new VkApiError(
      method,
      typeof e.error_code === 'number' ? e.error_code : 1,
      typeof e.error_msg === 'string' ? e.error_msg : 'Unknown error',
    );
  }
  if (res.status >= 500) throw new VkNetworkError(`VK ${method}: HTTP ${res.status}`);
  if (!body || typeof body !== 'object' || !('response' in body)) {
    throw new VkApiError(method, res.status, 'The answer has no response');
  }
  return body.response as T;
}

/** A file for a VK upload server: multipart/form-data with the file as the part `field`. */
export async function uploadToVk<T>(
  http: Http,
  uploadUrl: string,
  field: string,
  file: { bytes: Uint8Array; fileName: string; mimeType: string },
  timeoutMs = 120_000,
): Promise<T> {
  const form = new FormData();
  // Buffers read from storage never live in a SharedArrayBuffer.
  form.append(
    field,
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }),
    file.fileName,
  );
  const res = await providerFetch(
    http.fetch,
    uploadUrl,
    { method: 'POST', body: form, timeoutMs },
    (detail) => new VkNetworkError(`VK upload: ${detail}`),
  );
  if (res.status >= 500) throw new VkNetworkError(`VK upload: HTTP ${res.status}`);
  const body = res.json as Record<string, unknown> | undefined;
  if (body === undefined) {
    throw new VkApiError('upload', res.status, `HTTP ${res.status} (not an upload server answer)`);
  }
  // Upload servers report failures as `{"error": "<text>"}` (no code).
  if (typeof body.error === 'string' || (body.error && typeof body.error === 'object')) {
    throw new VkApiError('upload', 100, 'The upload server refused the file');
  }
  return body as T;
}
