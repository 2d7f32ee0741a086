import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config.ts';

function first(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v?.split(',')[0]?.trim() || undefined;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The console's own origins: PUBLIC_URL's, and the one this request was addressed to (its Host, with
 * the scheme it arrived over; a trusted proxy's X-Forwarded-Proto/-Host when TRUST_PROXY is set). The
 * Host rule is safe for cookies: a browser sends the console's cookie only to the console's own host.
 */
export function consoleOrigins(
  config: Pick<Config, 'publicUrl' | 'trustProxy'>,
  headers: IncomingHttpHeaders,
  secure: boolean,
): Set<string> {
  const out = new Set<string>();
  const pub = config.publicUrl ? originOf(config.publicUrl) : null;
  if (pub) out.add(pub);
  const proxied = config.trustProxy !== false;
  const forwarded = (name: string) => (proxied ? first(headers[name]) : undefined);
  const scheme = secure ? 'https' : (forwarded('x-forwarded-proto') ?? 'http');
  const host = forwarded('x-forwarded-host') ?? first(headers.host);
  const own = host ? originOf(`${scheme}://${host}`) : null;
  if (own) out.add(own);
  return out;
}

/**
 * Whether a handshake that rides on the console's session cookie comes from the console itself. A
 * browser always names the page's origin on a WebSocket handshake and on cross-origin requests, so any
 * other origin — a same-site one included (the business's site that embeds the widget) — is refused.
 * A same-origin long-polling GET may carry no Origin; Fetch Metadata, where sent, must then agree.
 */
export function cookieHandshakeAllowed(
  config: Pick<Config, 'publicUrl' | 'trustProxy'>,
  headers: IncomingHttpHeaders,
  secure: boolean,
): boolean {
  const origin = first(headers.origin);
  if (origin === undefined) {
    const site = first(headers['sec-fetch-site']);
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  const o = originOf(origin);
  return o !== null && consoleOrigins(config, headers, secure).has(o);
}
