import type { GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import { providerFetch } from '../../../infra/net/provider-http.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';

export const TELEGRAM_API = 'https://api.telegram.org';

/** Only outbound HTTP is needed; the app context satisfies this, tests may pass a bare fetch. */
export interface Http {
  fetch: GuardedFetch;
}

export interface TelegramErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** `{"ok": false, "error_code", "description", "parameters"}` from the Bot API. */
export class TelegramApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly parameters: TelegramErrorParameters,
  ) {
    super(`Telegram ${method} failed: ${errorCode} ${description}`);
  }
}

/** The Bot API could not be reached or answered something that is not the Bot API. */
export class TelegramNetworkError extends Error {}

export function botApiBase(channel: ChannelRuntime): string {
  const base = channel.settings.apiBaseUrl;
  return (typeof base === 'string' ? base : TELEGRAM_API).replace(/\/+$/, '');
}

export function botToken(channel: ChannelRuntime): string {
  const token = channel.credentials.botToken;
  if (!token) throw new TelegramApiError('(none)', 401, 'This channel has no bot token', {});
  return token;
}

/**
 * Calls `POST <base>/bot<token>/<method>` with JSON and returns `result`. Error texts never contain the
 * URL: it carries the bot token.
 */
export async function callBotApi<T>(
  http: Http,
  channel: ChannelRuntime,
  method: string,
  params: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<T> {
  return botApiRequest<T>(http, channel, method, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
    timeoutMs,
  });
}

/** A file the Bot API receives as a multipart part (an InputFile). */
export interface InputFile {
  bytes: Uint8Array;
  fileName: string;
  mimeType: string;
}

/**
 * Calls a method with multipart/form-data, the only way to send a file's bytes: plain parameters as
 * form fields (objects JSON-serialised, as the Bot API expects), each file as a part named by its field.
 */
export async function callBotApiUpload<T>(
  http: Http,
  channel: ChannelRuntime,
  method: string,
  params: Record<string, unknown>,
  files: Record<string, InputFile>,
  timeoutMs = 120_000,
): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    form.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  for (const [field, f] of Object.entries(files)) {
    // Buffers read from storage never live in a SharedArrayBuffer.
    form.append(field, new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.mimeType }), f.fileName);
  }
  // fetch sets the multipart content type with its boundary itself.
  return botApiRequest<T>(http, channel, method, { body: form, timeoutMs });
}

async function botApiRequest<T>(
  http: Http,
  channel: ChannelRuntime,
  method: string,
  req: { headers?: Record<string, string>; body: string | FormData; timeoutMs: number },
): Promise<T> {
  const url = `${botApiBase(channel)}/bot${botToken(channel)}/${method}`;
  const res = await providerFetch(
    http.fetch,
    url,
    { method: 'POST', headers: req.headers, body: req.body, timeoutMs: req.timeoutMs },
    (detail) => new TelegramNetworkError(`Telegram ${method}: ${detail}`),
  );
  const body = res.json as
    | { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: unknown }
    | undefined;
  if (body === undefined || typeof body !== 'object' || body === null) {
    if (res.status >= 500) throw new TelegramNetworkError(`Telegram ${method}: HTTP ${res.status}`);
    throw new TelegramApiError(method, res.status, `HTTP ${res.status} (not a Bot API answer)`, {});
  }
  if (body.ok === true) return body.result as T;
  throw new TelegramApiError(
    method,
    typeof body.error_code === 'number' ? body.error_code : res.status,
    typeof body.description === 'string' ? body.description : `HTTP ${res.status}`,
    body.parameters && typeof body.parameters === 'object'
      ? (body.parameters as TelegramErrorParameters)
      : {},
  );
}
