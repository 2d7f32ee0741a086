import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DialectName } from '../src/infra/db/database.ts';
import { ManualClock } from '../src/infra/clock.ts';
import { type ApiChannel, createApiChannel } from '../src/modules/routing/routing-test-kit.ts';
import { type ChannelKit, channelKit } from './channel-kit.ts';
import { type TestApp, createTestApp } from './test-app.ts';

type CreateOptions = NonNullable<Parameters<typeof createTestApp>[1]>;
type ChannelOptions = NonNullable<Parameters<typeof createApiChannel>[1]>;

/** The test app of the current test (or suite), with its clock, API channel and the channel kit. */
export type AppFixture = TestApp &
  Omit<ChannelKit, 'as'> & {
    /** The manual clock (`clock` option). */
    readonly clock: ManualClock;
    /** The API channel created with the app (`apiChannel` option); a test may put another in its place. */
    channel: ApiChannel;
    /** The app's own URL, `http://127.0.0.1:<port>` (`listen` option): where providers' webhooks go. */
    readonly base: string;
  };

/**
 * One test app per test (or per suite with `per: 'suite'`), closed after it: the setup every e2e suite
 * repeated. The returned object stands for the current app, so helpers taking a `TestApp` take it too.
 */
export function useTestApp(
  dialect: DialectName,
  opts: Omit<CreateOptions, 'clock'> & {
    /**
     * A manual clock: starting at this instant (epoch ms; a function is read when each app starts), the
     * suite's own clock, or `true` for ManualClock's default instant.
     */
    clock?: number | (() => number) | ManualClock | true;
    /** Create an API channel (options, or a function of them when they depend on the suite's servers). */
    apiChannel?: ChannelOptions | (() => ChannelOptions);
    per?: 'test' | 'suite';
    /**
     * Listen on a free loopback port, for suites whose sandboxes call the app over HTTP; requests
     * through the kit then carry that Host (webhook URLs are built from it).
     */
    listen?: boolean;
  } = {},
): AppFixture {
  const { clock: start, apiChannel, per = 'test', listen = false, ...createOpts } = opts;
  let app: TestApp | undefined;
  let kit: ChannelKit | undefined;
  let clock: ManualClock | undefined;
  let channel: ApiChannel | undefined;
  let base: string | undefined;

  const before = per === 'suite' ? beforeAll : beforeEach;
  const after = per === 'suite' ? afterAll : afterEach;
  before(async () => {
    clock =
      start === undefined || start instanceof ManualClock
        ? start
        : new ManualClock(start === true ? undefined : typeof start === 'function' ? start() : start);
    app = await createTestApp(dialect, { ...createOpts, ...(clock ? { clock } : {}) });
    if (listen) {
      await app.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    }
    kit = channelKit(app, base ? new URL(base).host : undefined);
    if (apiChannel)
      channel = await createApiChannel(app, typeof apiChannel === 'function' ? apiChannel() : apiChannel);
  });
  after(async () => {
    await app?.close();
    app = kit = clock = channel = base = undefined;
  });

  const extras: Record<string, () => unknown> = {
    clock: () => clock ?? missing('the clock (clock option)'),
    channel: () => channel ?? missing('the API channel (apiChannel option)'),
    base: () => base ?? missing('the URL (listen option)'),
  };
  const fixture: AppFixture = new Proxy({} as AppFixture, {
    get(_, key: string) {
      if (key in extras) return extras[key]!();
      // Taken apart at the suite's top (`const { as, reply } = t`): each call finds the current app.
      if (!app && LATE_BOUND.has(key))
        return (...args: unknown[]) =>
          (fixture[key as keyof AppFixture] as (...a: unknown[]) => unknown)(...args);
      if (!app || !kit) return missing('the test app (used outside a test?)');
      // A listening app's requests carry its Host: the kit's `as` sets it.
      const from = key in kit && (key !== 'as' || listen) ? kit : app;
      const v = (from as unknown as Record<string, unknown>)[key];
      return typeof v === 'function' ? v.bind(from) : v;
    },
    set(_, key, value) {
      if (key !== 'channel') return false;
      channel = value as ApiChannel;
      return true;
    },
  });
  return fixture;
}

/** The fixture's methods, which a suite may take apart before any test has started the app. */
const LATE_BOUND = new Set([
  'as',
  'count',
  'conversations',
  'messagesOf',
  'reply',
  'apiWebhook',
  'inbound',
  'drainJobs',
  'startWorker',
  'login',
]);

function missing(what: string): never {
  throw new Error(`useTestApp: ${what} is not there`);
}
