import type { GuardedFetch } from '../../../infra/net/guarded-fetch.ts';
import { providerFetch } from '../../../infra/net/provider-http.ts';
/**
 * One client for Meta's Graph API, shared by WhatsApp Cloud API, Messenger and Instagram: a configurable
 * root (the sandbox or a proxy), a pinned version, a bearer token, and Graph's error envelope
 * `{"error": {message, type, code, error_subcode, error_data, fbtrace_id}}` turned into `GraphApiError`.
 */

/** Pinned Graph version; a channel may override it with settings.apiVersion. */
export const GRAPH_VERSION = 'v24.0';

export interface Http {
  fetch: GuardedFetch;
}

/** Where one channel's Graph calls go and with which token. */
export interface GraphConn {
  /** Root without version, e.g. https://graph.facebook.com. */
  baseUrl: string;
  version: string;
  token: string;
  /** Product name for messages ("WhatsApp", "Messenger", "Instagram"). */
  product: string;
}

export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly detail: string,
    readonly subcode?: number,
    readonly retryAfterMs?: number,
    readonly fbtraceId?: string,
    product = 'Graph',
  ) {
    super(`${product} API error ${code}${subcode ? `/${subcode}` : ''}: ${detail}`);
  }
}

export class GraphNetworkError extends Error {}

export function graphRoot(conn: Pick<GraphConn, 'baseUrl' | 'version'>): string {
  return `${conn.baseUrl.replace(/\/+$/, '')}/${conn.version}`;
}

/** One Graph call (`path` below the version), JSON body or multipart form, JSON answer. */
export async function graphCall<T>(
  http: Http,
  conn: GraphConn,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  opts: { json?: unknown; form?: FormData; timeoutMs?: number } = {},
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${conn.token}` };
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await providerFetch(
    http.fetch,
    `${graphRoot(conn)}/${path}`,
    {
      method,
      headers,
      body: opts.form ?? (opts.json !== undefined ? JSON.stringify(opts.json) : undefined),
      timeoutMs: opts.timeoutMs ?? 30_000,
    },
    (detail) => new GraphNetworkError(`${conn.product} API unreachable: ${detail}`),
  );
  const json = res.json;
  if (res.ok && json !== undefined && !(json as { error?: unknown }).error) return json as T;
  const e = (json as { error?: Record<string, unknown> } | undefined)?.error;
  const details = (e?.error_data as { details?: unknown } | undefined)?.details;
  throw new GraphApiError(
    res.status,
    typeof e?.code === 'number' ? e.code : res.status >= 500 ? 1 : 0,
    [e?.message, details].filter((x) => typeof x === 'string' && x.length > 0).join(' — ') ||
      `HTTP ${res.status}`,
    typeof e?.error_subcode === 'number' ? e.error_subcode : undefined,
    res.retryAfterMs,
    typeof e?.fbtrace_id === 'string' ? e.fbtrace_id : undefined,
    conn.product,
  );
}
