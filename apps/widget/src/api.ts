import type { SessionAnswer, VisitorMessage, WidgetConfig } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The visitor API over fetch. No cookies ever (credentials: 'omit'): the visitor is the token in the
 * X-Visitor-Token header, so nothing of the host site's session reaches Switchboard.
 */
export class VisitorApi {
  token = '';

  constructor(
    readonly base: string,
    readonly channelId: string,
  ) {}

  private url(path: string): string {
    return `${this.base}/api/v1/widget/${encodeURIComponent(this.channelId)}${path}`;
  }

  private async call<T>(method: string, path: string, body?: BodyInit, type?: string, extra?: HeadersInit) {
    const headers: Record<string, string> = { ...(extra as Record<string, string>) };
    if (this.token) headers['x-visitor-token'] = this.token;
    if (type) headers['content-type'] = type;
    const res = await fetch(this.url(path), { method, headers, body, credentials: 'omit', mode: 'cors' });
    if (!res.ok) {
      const err = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null;
      throw new ApiError(res.status, err?.error?.code ?? 'http_error', err?.error?.message ?? res.statusText);
    }
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  private json<T>(method: string, path: string, body: unknown) {
    return this.call<T>(method, path, JSON.stringify(body), 'application/json');
  }

  config() {
    return this.call<WidgetConfig>('GET', '/config');
  }

  session(body: Record<string, string | undefined>) {
    return this.json<SessionAnswer>('POST', '/session', body);
  }

  messages(since?: number, afterId?: string) {
    const q =
      since === undefined ? '' : `?since=${since}${afterId ? `&afterId=${encodeURIComponent(afterId)}` : ''}`;
    return this.call<{ items: VisitorMessage[]; more: boolean }>('GET', `/messages${q}`);
  }

  send(body: {
    clientMessageId: string;
    text?: string;
    attachments?: string[];
    pageUrl?: string;
    buttonId?: string;
  }) {
    return this.json<{ status: string }>('POST', '/messages', body);
  }

  upload(file: File) {
    return this.call<{ token: string; name: string | null; mimeType: string; size: number }>(
      'POST',
      '/uploads',
      file,
      file.type || 'application/octet-stream',
      { 'x-file-name': encodeURIComponent(file.name) },
    );
  }

  receipts(status: 'delivered' | 'read', messageIds: string[]) {
    return this.json<{ stored: number; pending: string[] }>('POST', '/receipts', { status, messageIds });
  }

  /** A stored attachment as a Blob (the token cannot go into an <img src>). */
  async file(path: string): Promise<Blob> {
    const headers: Record<string, string> = this.token ? { 'x-visitor-token': this.token } : {};
    const res = await fetch(`${this.base}${path}`, { headers, credentials: 'omit', mode: 'cors' });
    if (!res.ok) throw new ApiError(res.status, 'http_error', res.statusText);
    return res.blob();
  }
}
