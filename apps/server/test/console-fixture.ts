import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  type ApiSession,
  type ConsoleServer,
  launchBrowser,
  newOperatorContext,
  postInbound,
  signIn,
  startConsoleServer,
  watchPage,
} from './console-harness.ts';

type ContextOptions = Parameters<typeof newOperatorContext>[1];

/** What a browser suite starts with: a running server, Chromium, the admin's API session. */
export interface ConsoleFixture {
  readonly server: ConsoleServer;
  readonly browser: Browser;
  /** The account's admin through the API. */
  readonly admin: ApiSession;
  /** The API channel created before the suite (`apiChannel` option). */
  readonly channel: { id: string; secret: string };
  /** Script errors and dialogs of every page opened through the fixture: a suite expects none. */
  readonly problems: string[];
  /** A watched page in a fresh browser context. */
  page(opts?: ContextOptions): Promise<Page>;
  /** A watched page signed in as `user` (default: the admin). */
  signedInPage(opts?: ContextOptions, user?: { email: string; password: string }): Promise<Page>;
  /** A signed-in page (as `signedInPage`) opened at `path` of the console. */
  open(path: string, opts?: ContextOptions, user?: { email: string; password: string }): Promise<Page>;
  /** Creates the suite's API channel (when it needs settings known only once its own servers run). */
  createApiChannel(name: string, settings?: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  /** A customer's message on the API channel (default: the suite's `channel`). */
  inbound(
    contact: { externalId: string; name: string },
    text: string,
    channel?: { id: string; secret: string },
  ): Promise<void>;
  /** The admin's conversation list (`query`: the query string, e.g. `?limit=50`). */
  conversations<T = ConsoleConversation>(query?: string): Promise<T[]>;
  /** The list once it holds at least `n` conversations (inbound is processed by the worker). */
  awaitConversations<T = ConsoleConversation>(n: number, query?: string): Promise<T[]>;
}

/** The fields of a conversation list item that suites read most. */
export interface ConsoleConversation {
  id: string;
  status: string;
  assigneeId: string | null;
  labels: string[];
  priority: string;
  contact: { id: string; name: string };
}

/**
 * Starts the server and the browser before the suite and stops them after it (suites add their own
 * sandboxes and fixtures in their own hooks, which run after these start and before these stop).
 */
export function useConsole(
  opts: {
    /** Configuration overrides; a function when they depend on something found at start (a free port). */
    env?: Record<string, string> | (() => Promise<Record<string, string>>);
    /** Name of an API channel to create before the suite. */
    apiChannel?: string;
  } = {},
): ConsoleFixture {
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  let admin: ApiSession | undefined;
  let channel: { id: string; secret: string } | undefined;
  const problems: string[] = [];
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useConsole: ${what} is not there (outside the suite's tests?)`);
    return v;
  };

  beforeAll(async () => {
    const env = typeof opts.env === 'function' ? await opts.env() : opts.env;
    [server, browser] = await Promise.all([startConsoleServer(env), launchBrowser()]);
    admin = await server.session(server.admin.email, server.admin.password);
    if (opts.apiChannel) await fixture.createApiChannel(opts.apiChannel);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const fixture: ConsoleFixture = {
    get server() {
      return ready(server, 'the server');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get admin() {
      return ready(admin, 'the admin session');
    },
    get channel() {
      return ready(channel, 'the API channel (apiChannel option)');
    },
    problems,
    async page(o) {
      return watchPage(await (await newOperatorContext(fixture.browser, o)).newPage(), problems);
    },
    async signedInPage(o, user) {
      const page = await fixture.page(o);
      const u = user ?? fixture.server.admin;
      await signIn(page, fixture.server.url, u.email, u.password);
      return page;
    },
    async open(path, o, user) {
      const page = await fixture.signedInPage(o, user);
      await page.goto(`${fixture.server.url}${path}`);
      return page;
    },
    async createApiChannel(name, settings) {
      const created = await fixture.admin.call<{ id: string; connection: { secret: string } }>(
        'POST',
        '/api/v1/channels',
        { type: 'api', name, ...(settings ? { settings } : {}) },
      );
      if (created.status !== 201) throw new Error(`creating the API channel answered ${created.status}`);
      channel = { id: created.json.id, secret: created.json.connection.secret };
      return channel;
    },
    inbound: (contact, text, channel) =>
      postInbound(fixture.server, channel ?? fixture.channel, contact, text),
    async conversations<T>(query = '') {
      return (await fixture.admin.call<{ items: T[] }>('GET', `/api/v1/conversations${query}`)).json.items;
    },
    async awaitConversations<T>(n: number, query?: string) {
      let items: T[] = [];
      await waitUntil(async () => {
        items = await fixture.conversations<T>(query);
        return items.length >= n;
      }, `${n} conversations`);
      return items;
    },
  };
  return fixture;
}

/**
 * Polls `ok` every 100 ms until it holds (for suite setup, where the worker processes what was sent);
 * fails after 30 s with `what`.
 */
export async function waitUntil(ok: () => Promise<boolean>, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waitUntil: ${what} did not hold within 30 s`);
}
