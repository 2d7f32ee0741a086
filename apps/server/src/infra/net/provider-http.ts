import { BlockedUrlError, type GuardedFetch } from './guarded-fetch.ts';
import { parseRetryAfter } from './retry-after.ts';

/** What a provider answered, read once: status, headers, the body as text and, when it is JSON, parsed. */
export interface ProviderAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
  /** The body as JSON; undefined when it is not JSON. */
  json: unknown;
  /** The provider's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
}

export interface ProviderRequest extends Omit<RequestInit, 'signal'> {
  timeoutMs: number;
}

/**
 * The one HTTP client of provider calls (Telegram, Graph, Twilio, API-channel callbacks): every request
 * through the SSRF guard with a timeout; a refused address passes through as BlockedUrlError; a network
 * failure (refused, reset, timed out) becomes the caller's own error from `unreachable(detail, cause)`:
 * the error's message and system code, never the URL (it may carry a token).
 */
export async function providerFetch(
  fetch: GuardedFetch,
  url: string,
  req: ProviderRequest,
  unreachable: (detail: string, cause: string | undefined) => Error,
  now: number = Date.now(),
): Promise<ProviderAnswer> {
  const { timeoutMs, ...init } = req;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    if (err instanceof BlockedUrlError) throw err;
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw unreachable(`${(err as Error).message}${cause ? ` (${cause})` : ''}`, cause);
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    text,
    json,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now),
  };
}
