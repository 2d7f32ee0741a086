import type { GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import { providerFetch } from '../../../infra/net/provider-http.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { parseJsonExact } from './viber-json.ts';
import { VIBER_API } from './viber-settings.ts';

export interface Http {
  fetch: GuardedFetch;
}

/** Every answer of the REST API: HTTP 200 even on failure, the outcome is `status`. */
export interface ViberAnswer {
  status: number;
  status_message?: string;
  /** 64-bit: kept as its exact digits (see viber-json.ts). */
  message_token?: string | number;
  chat_hostname?: string;
  [k: string]: unknown;
}

/** Viber answered with a non-zero `status` (the code is Viber's, 1–20+). */
export class ViberApiError extends Error {
  constructor(
    readonly status: number,
    readonly statusMessage: string,
    readonly retryAfterMs?: number,
  ) {
    super(`Viber status ${status}: ${statusMessage}`);
  }
}

/** The request did not get a Viber answer (network, timeout, an HTTP error from a proxy). */
export class ViberNetworkError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function viberBase(channel: ChannelRuntime): string {
  const base = typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : VIBER_API;
  return base.replace(/\/+$/, '');
}

/**
 * One REST call (`set_webhook`, `send_message`, `get_account_info`...): POST JSON with the bot's token in
 * `X-Viber-Auth-Token`. Resolves with the answer when `status` is 0, throws ViberApiError otherwise.
 */
export async function viberCall(
  http: Http,
  channel: ChannelRuntime,
  method: string,
  body: Record<string, unknown>,
  authToken = channel.credentials.authToken ?? '',
): Promise<ViberAnswer> {
  const res = await providerFetch(
    http.fetch,
    `${viberBase(channel)}/${method}`,
    {
      method: 'POST',
      headers: { 'x-viber-auth-token': authToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: 30_000,
    },
    (detail) => new ViberNetworkError(`Viber API unreachable: ${detail}`),
  );
  // Parsed again from the text: message tokens are 64-bit and must keep their exact digits.
  let answer: ViberAnswer | undefined;
  try {
    const v = parseJsonExact(res.text);
    if (v && typeof v === 'object' && typeof (v as ViberAnswer).status === 'number')
      answer = v as ViberAnswer;
  } catch {
    answer = undefined;
  }
  const { retryAfterMs } = res;
  if (!answer) {
    throw new ViberNetworkError(
      `Viber API answered HTTP ${res.status} without a Viber status`,
      res.status,
      retryAfterMs,
    );
  }
  if (answer.status !== 0) {
    const words = String(answer.status_message ?? `status ${answer.status}`);
    throw new ViberApiError(answer.status, words, retryAfterMs);
  }
  return answer;
}
