import { join } from 'node:path';
import { sql } from 'kysely';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import type { EventBus } from './infra/bus/event-bus.port.ts';
import { MemoryBus } from './infra/bus/memory-bus.ts';
import { RedisBus } from './infra/bus/redis-bus.ts';
import { type Clock, systemClock } from './infra/clock.ts';
import { SecretBox } from './infra/crypto/secret-box.ts';
import { openDatabase } from './infra/db/database.ts';
import { migrateToLatest } from './infra/db/migrator.ts';
import { type Logger, createLogger } from './infra/logger.ts';
import { createGuardedFetch } from './infra/net/guarded-fetch.ts';
import { SqlJobQueue } from './infra/queue/sql-job-queue.ts';
import { LocalFileStore } from './infra/storage/local-file-store.ts';

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
  const log = opts.log ?? createLogger(config.logLevel);
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
      bus = config.redisUrl ? await RedisBus.connect(config.redisUrl, '', busOpts) : new MemoryBus(busOpts);
    } catch (err) {
      await db.close();
      throw new ConfigError((err as Error).message);
    }
  }
  const clock = opts.clock ?? systemClock;
  const ownBus = !opts.bus;
  return {
    config,
    db,
    bus,
    queue: new SqlJobQueue(db, clock),
    files: new LocalFileStore(join(config.dataDir, 'files')),
    secrets: new SecretBox(config.secret),
    clock,
    log,
    fetch: createGuardedFetch({ allow: config.allowPrivateUrls }),
    close: async () => {
      if (ownBus) await bus.close();
      await db.close();
    },
  };
}

/** Hides the password of a connection URL in messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
