import type { GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import { providerFetch } from '../../../infra/net/provider-http.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';

export const TWILIO_API = 'https://api.twilio.com';
export const TWILIO_API_VERSION = '2010-04-01';

export interface Http {
  fetch: GuardedFetch;
}

/** Twilio's REST error body `{code, message, more_info, status}`. */
export class TwilioApiError extends Error {
  constructor(
    readonly httpStatus: number,
    /** Twilio's error code (21610, 20429...); the HTTP status when the body had none. */
    readonly code: number,
    readonly detail: string,
    readonly moreInfo?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`Twilio error ${code}: ${detail}`);
  }
}

export class TwilioNetworkError extends Error {}

/** REST root: https://api.twilio.com, or a proxy / the sandbox from settings.apiBaseUrl. */
export function twilioBase(channel: ChannelRuntime): string {
  const base = typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : TWILIO_API;
  return base.replace(/\/+$/, '');
}

/** `<base>/2010-04-01/Accounts/<AC…>`: everything of the account lives below it. */
export function accountBase(channel: ChannelRuntime): string {
  return `${twilioBase(channel)}/${TWILIO_API_VERSION}/Accounts/${String(channel.settings.accountSid)}`;
}

/** HTTP Basic AccountSid:AuthToken, for the REST API and for media URLs. */
export function twilioAuth(channel: ChannelRuntime): Record<string, string> {
  const pair = `${String(channel.settings.accountSid)}:${channel.credentials.authToken ?? ''}`;
  return { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

/**
 * One REST call below the account (`path` like `/Messages.json`), form-encoded in, JSON out. Repeated
 * names (MediaUrl) are sent once per value, as Twilio expects.
 */
export async function twilioRequest<T>(
  http: Http,
  channel: ChannelRuntime,
  method: 'GET' | 'POST',
  path: string,
  form?: [string, string][],
): Promise<T> {
  const res = await providerFetch(
    http.fetch,
    `${accountBase(channel)}${path}`,
    {
      method,
      headers: {
        ...twilioAuth(channel),
        accept: 'application/json',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
      timeoutMs: 30_000,
    },
    (detail) => new TwilioNetworkError(`Twilio API unreachable: ${detail}`),
  );
  const json = res.json;
  if (res.ok && json !== undefined) return json as T;
  const e = (json ?? {}) as { code?: unknown; message?: unknown; more_info?: unknown };
  throw new TwilioApiError(
    res.status,
    typeof e.code === 'number' ? e.code : res.status,
    typeof e.message === 'string' && e.message ? e.message : `HTTP ${res.status}`,
    typeof e.more_info === 'string' ? e.more_info : undefined,
    res.retryAfterMs,
  );
}
