import type { ChannelRuntime } from '../channel-adapter.ts';

export const GRAPH_API = 'https://graph.facebook.com';
/** Pinned Graph version; a channel may override it with settings.apiVersion. */
export const GRAPH_VERSION = 'v24.0';

export interface Http {
  fetch: typeof fetch;
}

/** The Graph error envelope `{"error": {message, type, code, error_subcode, error_data, fbtrace_id}}`. */
export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly detail: string,
    readonly subcode?: number,
    readonly retryAfterMs?: number,
  ) {
    super(`WhatsApp API error ${code}: ${detail}`);
  }
}

export class GraphNetworkError extends Error {}

export function graphBase(channel: ChannelRuntime): string {
  const base = typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : GRAPH_API;
  const version =
    typeof channel.settings.apiVersion === 'string' ? channel.settings.apiVersion : GRAPH_VERSION;
  return `${base.replace(/\/+$/, '')}/${version}`;
}

/** Bearer header for Graph calls and for the media URLs Graph hands out. */
export function graphAuth(channel: ChannelRuntime): Record<string, string> {
  return { authorization: `Bearer ${channel.credentials.accessToken ?? ''}` };
}

/** One Graph call (`path` below the version, e.g. `<phone-number-id>/messages`), JSON in and out. */
export async function graphRequest<T>(
  http: Http,
  channel: ChannelRuntime,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  return graphCall<T>(http, channel, method, path, {
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
    timeoutMs: 30_000,
  });
}

/**
 * Uploads a file for sending: `POST /<phone-number-id>/media` as multipart with `messaging_product`,
 * `type` (the MIME type) and the `file` part. Answers the media id a message then names.
 */
export async function graphUploadMedia(
  http: Http,
  channel: ChannelRuntime,
  phoneNumberId: string,
  file: { bytes: Uint8Array; fileName: string; mimeType: string },
): Promise<string> {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', file.mimeType);
  // Buffers read from storage never live in a SharedArrayBuffer.
  const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType });
  form.append('file', blob, file.fileName);
  const r = await graphCall<{ id?: unknown }>(http, channel, 'POST', `${phoneNumberId}/media`, {
    headers: {},
    body: form,
    timeoutMs: 120_000,
  });
  if (typeof r.id !== 'string' || r.id === '') {
    throw new GraphApiError(200, 131053, 'The media upload answered no media id');
  }
  return r.id;
}

async function graphCall<T>(
  http: Http,
  channel: ChannelRuntime,
  method: 'GET' | 'POST',
  path: string,
  req: { headers: Record<string, string>; body: string | FormData | undefined; timeoutMs: number },
): Promise<T> {
  let res: Response;
  let text: string;
  try {
    res = await http.fetch(`${graphBase(channel)}/${path}`, {
      method,
      headers: { ...graphAuth(channel), ...req.headers },
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new GraphNetworkError(
      `WhatsApp API unreachable: ${(err as Error).message}${cause ? ` (${cause})` : ''}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok && json !== undefined) return json as T;
  const e = (json as { error?: Record<string, unknown> } | undefined)?.error;
  const retryAfter = Number(res.headers.get('retry-after'));
  const details = (e?.error_data as { details?: unknown } | undefined)?.details;
  throw new GraphApiError(
    res.status,
    typeof e?.code === 'number' ? e.code : res.status >= 500 ? 1 : 0,
    [e?.message, details].filter((x) => typeof x === 'string' && x.length > 0).join(' — ') ||
      `HTTP ${res.status}`,
    typeof e?.error_subcode === 'number' ? e.error_subcode : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
