import type { Config } from './config.ts';
import type { EventBus } from './infra/bus/event-bus.port.ts';
import type { Clock } from './infra/clock.ts';
import type { SecretBox } from './infra/crypto/secret-box.ts';
import type { Db } from './infra/db/database.ts';
import type { Logger } from './infra/logger.ts';
import type { GuardedFetch } from './infra/net/guarded-fetch.ts';
import type { JobQueue } from './infra/queue/job-queue.port.ts';
import type { LoginThrottle } from './infra/throttle/login-throttle.port.ts';
import type { FileStore } from './infra/storage/file-store.port.ts';
import type { EventListeners } from './modules/events/event-listeners.ts';

/** Everything a request handler or job needs; built once per process by bootstrap.ts. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: EventBus;
  queue: JobQueue;
  files: FileStore;
  secrets: SecretBox;
  clock: Clock;
  log: Logger;
  /** Outbound HTTP (provider APIs, callbacks): fetch behind the SSRF guard with ALLOW_PRIVATE_URLS. */
  fetch: GuardedFetch;
  /** Sign-in attempt counters shared by all nodes (Redis when configured, else the database). */
  loginThrottle: LoginThrottle;
  /** Who reacts to account events (sockets, search, webhooks, rules, reports): `src/listeners.ts`. */
  listeners: EventListeners;
}
