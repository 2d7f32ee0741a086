import { sql } from 'kysely';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import type { EventBus } from './infra/bus/event-bus.port.ts';
import { MemoryBus } from './infra/bus/memory-bus.ts';
import { type Clock, systemClock } from './infra/clock.ts';
import { SecretBox } from './infra/crypto/secret-box.ts';
import { openDatabase } from './infra/db/database.ts';
import { migrateToLatest } from './infra/db/migrator.ts';
import { type Logger, createLogger } from './infra/logger.ts';
import { createGuardedFetch } from './infra/net/guarded-fetch.ts';
import { SqlJobQueue } from './infra/queue/sql-job-queue.ts';
import { hashToken } from './infra/crypto/secret-box.ts';
import type { LoginThrottle } from './infra/throttle/login-throttle.port.ts';
import { SqlLoginThrottle } from './infra/throttle/sql-login-throttle.ts';
import type { FileStore } from './infra/storage/file-store.port.ts';
import { LocalFileStore } from './infra/storage/local-file-store.ts';
import { createEventListeners } from './listeners.ts';

export interface RuntimeContext extends AppContext {
  close(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  migrate?: boolean;
  /** PostgreSQL schema (tests isolate suites in schemas). */
  pgSchema?: string;
  bus?: EventBus;
}

/** Opens every infrastructure port named by the config, failing with a clear message when one is unreachable. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<RuntimeContext> {
  const log = opts.log ?? createLogger(config.logLevel, config.logFormat);
  const db = openDatabase(config.databaseUrl, { schema: opts.pgSchema });
  try {
    await sql`select 1`.execute(db.kysely);
  } catch (err) {
    await db.close().catch(() => {});
    throw new ConfigError(
      `Cannot open the database (${redact(config.databaseUrl)}): ${(err as Error).message}`,
    );
  }
  if (opts.migrate) {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'database migrated');
  }
  let bus = opts.bus;
  if (!bus) {
    try {
      const busOpts = {
        onHandlerError: (err: unknown, topic: string) => log.error({ err, topic }, 'bus subscriber failed'),
      };
      // Redis's client is loaded only by installations that use it (see lib/lazy-require.ts).
      bus = config.redisUrl
        ? await (await import('./infra/bus/redis-bus.ts')).RedisBus.connect(config.redisUrl, '', busOpts)
        : new MemoryBus(busOpts);
    } catch (err) {
      await db.close();
      throw new ConfigError((err as Error).message);
    }
  }
  const clock = opts.clock ?? systemClock;
  const ownBus = !opts.bus;
  let loginThrottle: LoginThrottle;
  try {
    loginThrottle = config.redisUrl
      ? await (await import('./infra/throttle/redis-login-throttle.ts')).RedisLoginThrottle.connect(
          config.redisUrl,
          throttlePrefix(config, opts.pgSchema),
          clock,
        )
      : new SqlLoginThrottle(db, clock);
  } catch (err) {
    if (ownBus) await bus.close();
    await db.close();
    throw new ConfigError(`Cannot connect to Redis for the login throttle: ${(err as Error).message}`);
  }
  let files: FileStore & { close?(): void };
  try {
    files = await openFileStore(config);
  } catch (err) {
    await loginThrottle.close();
    if (ownBus) await bus.close();
    await db.close();
    throw new ConfigError((err as Error).message);
  }
  return {
    config,
    db,
    bus,
    queue: new SqlJobQueue(db, clock),
    files,
    secrets: new SecretBox(config.secret),
    clock,
    log,
    loginThrottle,
    listeners: createEventListeners(),
    fetch: createGuardedFetch({ allow: config.allowPrivateUrls }),
    close: async () => {
      files.close?.();
      await loginThrottle.close();
      if (ownBus) await bus.close();
      await db.close();
    },
  };
}

async function openFileStore(config: Config): Promise<FileStore & { close?(): void }> {
  if (config.fileStore.kind === 'local') return new LocalFileStore(config.fileStore.root);
  // Loaded only when configured: the AWS SDK costs start-up time and memory a local-disk node never needs.
  const { S3FileStore } = await import('./infra/storage/s3-file-store.ts');
  const store = S3FileStore.open(config.fileStore.s3);
  try {
    await store.check();
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}

/** Hides the password of a connection URL in messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * One installation is one database: its nodes share login counters, and another installation (or test
 * run) using the same Redis never sees them.
 */
function throttlePrefix(config: Config, pgSchema: string | undefined): string {
  return `sb:login:${hashToken(`${config.databaseUrl}|${pgSchema ?? ''}`).slice(0, 12)}:`;
}
