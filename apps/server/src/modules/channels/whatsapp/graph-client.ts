import type { ChannelRuntime } from '../channel-adapter.ts';
import {
  GRAPH_VERSION,
  GraphApiError,
  type GraphConn,
  type Http,
  graphCall,
  graphRoot,
} from '../meta/graph-client.ts';

export { GRAPH_VERSION, GraphApiError, GraphNetworkError, type Http } from '../meta/graph-client.ts';

export const GRAPH_API = 'https://graph.facebook.com';

function conn(channel: ChannelRuntime): GraphConn {
  return {
    baseUrl: typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : GRAPH_API,
    version: typeof channel.settings.apiVersion === 'string' ? channel.settings.apiVersion : GRAPH_VERSION,
    token: channel.credentials.accessToken ?? '',
    product: 'WhatsApp',
  };
}

export function graphBase(channel: ChannelRuntime): string {
  return graphRoot(conn(channel));
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
  return graphCall<T>(http, conn(channel), method, path, { json: body });
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
  const r = await graphCall<{ id?: unknown }>(http, conn(channel), 'POST', `${phoneNumberId}/media`, {
    form,
    timeoutMs: 120_000,
  });
  if (typeof r.id !== 'string' || r.id === '') {
    throw new GraphApiError(
      200,
      131053,
      'The media upload answered no media id',
      undefined,
      undefined,
      undefined,
      'WhatsApp',
    );
  }
  return r.id;
}
