/** A signed-in user talking to the REST API over real HTTP, as the console does (cookie + CSRF header). */
export class ConsoleClient {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, email: string, password: string): Promise<ConsoleClient> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
    if (!cookie) throw new Error('login answered without a session cookie');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new ConsoleClient(base, cookie.split(';')[0]!, csrfToken);
  }

  /** The same session against another node (sessions live in the shared database). */
  on(base: string): ConsoleClient {
    return new ConsoleClient(base, this.cookie, this.csrf);
  }

  get sessionCookie(): string {
    return this.cookie;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 15_000,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** GET of a binary resource (an attachment's bytes). */
  async bytes(path: string): Promise<{ status: number; body: Buffer }> {
    const res = await fetch(`${this.base}${path}`, {
      headers: { cookie: this.cookie },
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  }

  /** Creates an API channel; returns its id and signing secret. */
  async createApiChannel(name: string, callbackUrl?: string): Promise<{ id: string; secret: string }> {
    const res = await this.call<{ id: string; connection: { secret: string } }>('POST', '/api/v1/channels', {
      type: 'api',
      name,
      settings: callbackUrl ? { callbackUrl } : {},
    });
    if (res.status !== 201)
      throw new Error(`channel creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, secret: res.body.connection.secret };
  }
}
