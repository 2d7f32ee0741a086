import type { AllowList } from '../../infra/net/address-policy.ts';
import { BlockedUrlError, guardedFetch } from '../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';

export interface DownloadOptions {
  headers?: Record<string, string>;
  maxBytes: number;
  /** ALLOW_PRIVATE_URLS (config.allowPrivateUrls). */
  allow?: AllowList | readonly string[];
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface Download {
  bytes: Buffer;
  contentType: string | null;
}

/**
 * GET through the SSRF guard (infra/net/guarded-fetch.ts), as a job outcome: refusals and 4xx are
 * permanent, 5xx/429/network failures retryable. Redirects are followed here rather than by fetch so
 * credentials are dropped when the host changes; each hop goes through the guard again. The body is
 * bounded by `maxBytes` while it streams.
 */
export async function safeDownload(rawUrl: string, opts: DownloadOptions): Promise<Download> {
  let url = rawUrl;
  let headers = { ...opts.headers };
  const originalHost = hostOf(rawUrl);
  for (let hop = 0; ; hop++) {
    const res = await open(url, headers, opts);
    if (res.status >= 300) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new PermanentError(`HTTP ${res.status} without a Location`, 'download_failed');
      if (hop >= (opts.maxRedirects ?? 3)) throw new PermanentError('Too many redirects', 'download_failed');
      url = new URL(location, url).toString();
      if (hostOf(url) !== originalHost) headers = withoutCredentials(headers);
      continue;
    }
    return readBody(res, opts.maxBytes);
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function withoutCredentials(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(h).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())),
  );
}

async function open(url: string, headers: Record<string, string>, opts: DownloadOptions): Promise<Response> {
  const host = hostOf(url) ?? 'the URL';
  let res: Response;
  try {
    res = await guardedFetch(
      url,
      { headers, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) },
      { allow: opts.allow },
    );
  } catch (err) {
    if (err instanceof BlockedUrlError) throw new PermanentError(err.message, 'blocked_address');
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new RetryableError(`Download from ${host} failed${cause ? ` (${cause})` : ''}`);
  }
  const status = res.status;
  if (status >= 200 && status < 400) return res;
  await res.body?.cancel();
  const msg = `Download from ${host} failed: HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) {
    const after = Number(res.headers.get('retry-after'));
    throw new RetryableError(msg, Number.isFinite(after) && after > 0 ? after * 1000 : undefined);
  }
  throw new PermanentError(msg, 'download_failed');
}

function tooLarge(max: number): PermanentError {
  return new PermanentError(`The file is larger than the ${max}-byte limit (MEDIA_MAX_BYTES)`, 'too_large');
}

async function readBody(res: Response, max: number): Promise<Download> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw tooLarge(max);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > max) {
          await reader.cancel();
          throw tooLarge(max);
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof PermanentError) throw err;
      throw new RetryableError('Download interrupted');
    }
  }
  return { bytes: Buffer.concat(chunks), contentType: res.headers.get('content-type') };
}
