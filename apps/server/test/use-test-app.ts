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
  } = {},
): AppFixture {
  const { clock: start, apiChannel, per = 'test', ...createOpts } = opts;
  let app: TestApp | undefined;
  let kit: ChannelKit | undefined;
  let clock: ManualClock | undefined;
  let channel: ApiChannel | undefined;

  const before = per === 'suite' ? beforeAll : beforeEach;
  const after = per === 'suite' ? afterAll : afterEach;
  before(async () => {
    clock =
      start === undefined || start instanceof ManualClock
        ? start
        : new ManualClock(start === true ? undefined : typeof start === 'function' ? start() : start);
    app = await createTestApp(dialect, { ...createOpts, ...(clock ? { clock } : {}) });
    kit = channelKit(app);
    if (apiChannel)
      channel = await createApiChannel(app, typeof apiChannel === 'function' ? apiChannel() : apiChannel);
  });
  after(async () => {
    await app?.close();
    app = kit = clock = channel = undefined;
  });

  const extras: Record<string, () => unknown> = {
    clock: () => clock ?? missing('the clock (clock option)'),
    channel: () => channel ?? missing('the API channel (apiChannel option)'),
  };
  return new Proxy({} as AppFixture, {
    get(_, key: string) {
      if (key in extras) return extras[key]!();
      if (!app || !kit) return missing('the test app (used outside a test?)');
      const from = key in kit && key !== 'as' ? kit : app;
      const v = (from as unknown as Record<string, unknown>)[key];
      return typeof v === 'function' ? v.bind(from) : v;
    },
    set(_, key, value) {
      if (key !== 'channel') return false;
      channel = value as ApiChannel;
      return true;
    },
  });
}

function missing(what: string): never {
  throw new Error(`useTestApp: ${what} is not there`);
}
