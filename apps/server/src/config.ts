import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';
import { AllowList } from './infra/net/address-policy.ts';
import type { S3Settings } from './infra/storage/s3-file-store.ts';

/** Raised for configuration a user must fix; the CLI prints the message without a stack trace. */
export class ConfigError extends Error {}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  SWITCHBOARD_SECRET: z.string().min(16, 'SWITCHBOARD_SECRET must be at least 16 characters').optional(),
  DATA_DIR: z.string().default('./data'),
  PUBLIC_URL: z.string().url().optional(),
  BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .default(12 * 60),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, c) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        c.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(8),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(500),
  INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(2000).default(256),
  IMAP_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(45),
  MEDIA_MAX_BYTES: z.coerce.number().int().positive().default(26_214_400),
  // Resource limits and retention (README "Data retention and privacy").
  UPLOAD_UNUSED_TTL_HOURS: z.coerce.number().positive().default(24),
  WIDGET_UPLOAD_CHANNEL_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 ** 3),
  WIDGET_UPLOAD_IP_DAILY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 ** 2),
  WIDGET_UPLOAD_IP_DAILY_FILES: z.coerce.number().int().positive().default(100),
  RETENTION_INTERVAL_MINUTES: z.coerce.number().positive().default(60),
  RETENTION_DONE_JOBS_DAYS: z.coerce.number().positive().default(7),
  RETENTION_DEAD_JOBS_DAYS: z.coerce.number().positive().default(30),
  RETENTION_INBOUND_EVENTS_DAYS: z.coerce.number().positive().default(30),
  RETENTION_WEBHOOK_DELIVERIES_DAYS: z.coerce.number().positive().default(30),
  RETENTION_ACCOUNT_EVENTS_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  RETENTION_ACCOUNT_EVENTS_KEEP: z.coerce.number().int().min(0).default(10_000),
  ALLOW_PRIVATE_URLS: z.string().default(''),
  // Where attachments, uploads and exports live (README "Running several nodes").
  FILE_STORE: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  secret: string;
  dataDir: string;
  /** Local disk under DATA_DIR (one node, or a folder all nodes share) or an S3-compatible bucket. */
  fileStore: FileStoreConfig;
  publicUrl: string | undefined;
  bodyLimit: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** `auto`: readable lines on a terminal, JSON lines otherwise. */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  sessionTtlMs: number;
  /** A session unused for longer than this is refused and deleted. */
  sessionIdleMs: number;
  /** Fastify's `trustProxy`: which peers may set X-Forwarded-For/-Proto (false: none). */
  trustProxy: TrustProxy;
  /** Sign-in attempts per minute for one e-mail, from all addresses together. */
  loginRateLimit: number;
  /** Sign-in attempts per minute from one IP address, for all e-mails together. */
  loginRateLimitPerIp: number;
  workerConcurrency: number;
  workerPollMs: number;
  /**
   * Most webhook requests committed together in one transaction (group commit); 1 commits each alone.
   */
  ingestBatchMax: number;
  /** How long a node holds an e-mail channel's IMAP mailbox without renewing (takeover after a crash). */
  imapLeaseMs: number;
  /** Largest inbound media file downloaded into storage; bigger ones stay a provider reference. */
  mediaMaxBytes: number;
  /**
   * Non-public hosts, addresses and CIDR ranges that outbound requests (callbacks, provider APIs, media)
   * may reach; everything else private is refused by the SSRF guard.
   */
  allowPrivateUrls: AllowList;
  /** Default widget upload quotas; a widget channel's settings may set its own. */
  widgetUploads: { channelQuotaBytes: number; ipDailyBytes: number; ipDailyFiles: number };
  /** What the periodic retention job deletes, and how often it runs. */
  retention: RetentionConfig;
}

export type FileStoreConfig = { kind: 'local'; root: string } | { kind: 's3'; s3: S3Settings };

export interface RetentionConfig {
  intervalMs: number;
  /** Uploads (operator and widget) never sent in a message, with their bytes. */
  unusedUploadsMs: number;
  doneJobsMs: number;
  deadJobsMs: number;
  /** Raw provider events already processed (never unprocessed or dead ones). */
  inboundEventsMs: number;
  /** Settled outgoing webhook deliveries (delivered or given up) with their attempts. */
  webhookDeliveriesMs: number;
  /** Account events older than this, beyond the newest `accountEventsKeep` of each account. */
  accountEventsMs: number;
  accountEventsKeep: number;
}

/** Parses the environment once. Defaults are the embedded mode: SQLite file, in-process bus, local disk. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // The embedded database lives with the rest of the data: DATA_DIR=/srv/sb moves all of it.
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${join(e.DATA_DIR, 'switchboard.db')}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with sqlite: or postgres:// (got "${databaseUrl.slice(0, 40)}")`,
    );
  }
  if (e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  let allowPrivateUrls: AllowList;
  try {
    allowPrivateUrls = AllowList.parse(e.ALLOW_PRIVATE_URLS);
  } catch (err) {
    throw new ConfigError(`ALLOW_PRIVATE_URLS: ${(err as Error).message}`);
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    redisUrl: e.REDIS_URL,
    secret: e.SWITCHBOARD_SECRET ?? loadOrCreateSecret(dataDir),
    dataDir,
    fileStore: fileStoreConfig(e, dataDir),
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    trustProxy: e.TRUST_PROXY,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    // An office behind one NAT address signs in several people: three e-mails' worth by default.
    loginRateLimitPerIp: e.LOGIN_RATE_LIMIT_PER_IP ?? e.LOGIN_RATE_LIMIT * 3,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerPollMs: e.WORKER_POLL_MS,
    ingestBatchMax: e.INGEST_BATCH_MAX,
    imapLeaseMs: e.IMAP_LEASE_SECONDS * 1000,
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    widgetUploads: {
      channelQuotaBytes: e.WIDGET_UPLOAD_CHANNEL_QUOTA_BYTES,
      ipDailyBytes: e.WIDGET_UPLOAD_IP_DAILY_BYTES,
      ipDailyFiles: e.WIDGET_UPLOAD_IP_DAILY_FILES,
    },
    retention: {
      intervalMs: e.RETENTION_INTERVAL_MINUTES * 60_000,
      unusedUploadsMs: e.UPLOAD_UNUSED_TTL_HOURS * HOUR,
      doneJobsMs: e.RETENTION_DONE_JOBS_DAYS * DAY,
      deadJobsMs: e.RETENTION_DEAD_JOBS_DAYS * DAY,
      inboundEventsMs: e.RETENTION_INBOUND_EVENTS_DAYS * DAY,
      webhookDeliveriesMs: e.RETENTION_WEBHOOK_DELIVERIES_DAYS * DAY,
      accountEventsMs: e.RETENTION_ACCOUNT_EVENTS_HOURS * HOUR,
      accountEventsKeep: e.RETENTION_ACCOUNT_EVENTS_KEEP,
    },
    allowPrivateUrls,
  };
}

function fileStoreConfig(e: z.infer<typeof envSchema>, dataDir: string): FileStoreConfig {
  if (e.FILE_STORE === 'local') return { kind: 'local', root: join(dataDir, 'files') };
  const set = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const bucket = set(e.S3_BUCKET);
  if (!bucket) throw new ConfigError('FILE_STORE=s3 needs S3_BUCKET');
  const endpoint = set(e.S3_ENDPOINT);
  if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new ConfigError(`S3_ENDPOINT must be an http:// or https:// URL (got "${endpoint.slice(0, 40)}")`);
  }
  const accessKeyId = set(e.S3_ACCESS_KEY_ID);
  const secretAccessKey = set(e.S3_SECRET_ACCESS_KEY);
  if (!accessKeyId !== !secretAccessKey) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  }
  return {
    kind: 's3',
    s3: {
      bucket,
      endpoint,
      region: set(e.S3_REGION) ?? 'us-east-1',
      accessKeyId,
      secretAccessKey,
      forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
    },
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** First run without SWITCHBOARD_SECRET: generate one into the data folder and keep using it. */
function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
