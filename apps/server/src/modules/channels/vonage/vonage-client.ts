import { BlockedUrlError, type GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { VONAGE_API } from './vonage-settings.ts';

export interface Http {
  fetch: GuardedFetch;
}

/** A Messages API error: RFC 7807 problem details `{type, title, detail, instance}`. */
export class VonageApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly title: string,
    readonly detail: string,
    readonly type?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`Vonage HTTP ${httpStatus}: ${title}${detail ? ` — ${detail}` : ''}`);
  }
}

export class VonageNetworkError extends Error {}

export function vonageBase(channel: ChannelRuntime): string {
  const base = typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : VONAGE_API;
  return base.replace(/\/+$/, '');
}

/** `POST /v1/messages` with HTTP Basic apiKey:apiSecret; 202 `{message_uuid}`. */
export async function postMessage(
  http: Http,
  channel: ChannelRuntime,
  body: Record<string, unknown>,
): Promise<{ message_uuid?: string }> {
  const pair = `${String(channel.settings.apiKey)}:${channel.credentials.apiSecret ?? ''}`;
  let res: Response;
  let text: string;
  try {
    res = await http.fetch(`${vonageBase(channel)}/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    text = await res.text();
  } catch (err) {
    if (err instanceof BlockedUrlError) throw err;
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new VonageNetworkError(
      `Vonage API unreachable: ${(err as Error).message}${cause ? ` (${cause})` : ''}`,
    );
  }
  let json: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(text);
    json = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok && json) return json as { message_uuid?: string };
  const retryAfter = Number(res.headers.get('retry-after'));
  throw new VonageApiError(
    res.status,
    typeof json?.title === 'string' ? json.title : `HTTP ${res.status}`,
    typeof json?.detail === 'string' ? json.detail : '',
    typeof json?.type === 'string' ? json.type : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
