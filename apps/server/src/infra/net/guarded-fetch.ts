import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import type { Agent } from 'undici';
import { AllowList } from './address-policy.ts';
import { lazyRequire } from '../../lib/lazy-require.ts';

// Loaded at the first outbound request (see lib/lazy-require.ts): ~0.8 MB of code a start need not parse.
const undici = lazyRequire<typeof import('undici')>('undici');

/**
 * A URL the guard will not reach: not http(s), or its host is (or resolves to) a non-public address that
 * ALLOW_PRIVATE_URLS does not list. The message is our own wording and names only the host.
 */
export class BlockedUrlError extends Error {
  override readonly name = 'BlockedUrlError';
  readonly code = 'blocked_address';
}

/**
 * `fetch` that only reaches public addresses (plus the allowlist). The brand makes it a type error to
 * hand a plain fetch where outbound HTTP is expected (AppContext.fetch, provider clients).
 */
export type GuardedFetch = typeof fetch & { readonly guarded: true };

export interface GuardOptions {
  /** Private hosts, addresses and CIDR ranges that may be reached (config.allowPrivateUrls). */
  allow?: AllowList | readonly string[];
}

/**
 * The address check runs inside the connection's own DNS lookup, so the connection goes to exactly the
 * addresses that were checked (a name cannot answer a public address to the check and a private one to
 * the connection). Every resolved address must pass, not just the first.
 */
function guardedLookup(allow: AllowList) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number },
    cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (err, addresses) => {
      if (err) return cb(err, '');
      const bad = addresses.find((a) => !allow.permits(hostname, a.address));
      if (bad || addresses.length === 0) {
        return cb(new BlockedUrlError(`${hostname} resolves to a private address`), '');
      }
      if (options.all) return cb(null, addresses);
      cb(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

/** One connection pool per allowlist; every connection (redirect hops included) goes through the check. */
function guardedAgent(allow: AllowList): Agent {
  const { Agent, buildConnector } = undici();
  const base = buildConnector({ lookup: guardedLookup(allow) as never });
  return new Agent({
    connect(opts, cb) {
      // Literal addresses never reach the lookup: check them here.
      const host = unbracket(opts.hostname);
      if (isIP(host) && !allow.permits(host, host)) {
        cb(new BlockedUrlError(`${opts.host ?? host} is a private address`), null);
        return;
      }
      base(opts, cb);
    },
  });
}

const agents = new Map<string, Agent>();

function agentFor(allow: AllowList): Agent {
  const key = allow.entries.join(',');
  let agent = agents.get(key);
  if (!agent) {
    agent = guardedAgent(allow);
    agents.set(key, agent);
  }
  return agent;
}

/** Refuses what can be refused before any connection: bad URLs, other schemes, private literals. */
export function checkUrl(raw: string | URL, allow: AllowList = AllowList.empty): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedUrlError('Not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedUrlError(`Refusing to fetch a ${url.protocol} URL`);
  }
  const host = unbracket(url.hostname);
  if (isIP(host) && !allow.permits(host, host)) {
    throw new BlockedUrlError(`Refusing to fetch from a private address (${url.host})`);
  }
  return url;
}

function blockedCause(err: unknown): BlockedUrlError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedUrlError) return e;
  }
  return undefined;
}

/**
 * The one way Switchboard's server reaches a URL: fetch semantics (redirects followed and each hop's
 * connection checked again), refusing non-public addresses unless allowlisted. A refusal rejects with
 * BlockedUrlError; other failures reject as fetch does.
 */
export async function guardedFetch(
  input: string | URL,
  init: RequestInit = {},
  opts: GuardOptions = {},
): Promise<Response> {
  const allow = opts.allow instanceof AllowList ? opts.allow : AllowList.parse(opts.allow ?? []);
  const url = checkUrl(input, allow);
  try {
    const res = await undici().fetch(url, { ...(init as object), dispatcher: agentFor(allow) });
    return res as unknown as Response;
  } catch (err) {
    const blocked = blockedCause(err);
    if (blocked) throw new BlockedUrlError(`Refusing to fetch: ${blocked.message}`);
    throw err;
  }
}

/** guardedFetch bound to an allowlist, shaped like fetch (AppContext.fetch). */
export function createGuardedFetch(opts: GuardOptions = {}): GuardedFetch {
  const allow = opts.allow instanceof AllowList ? opts.allow : AllowList.parse(opts.allow ?? []);
  const f = async (input: string | URL | Request, init?: RequestInit) => {
    if (typeof input === 'object' && !(input instanceof URL)) {
      throw new TypeError('guarded fetch takes a URL, not a Request');
    }
    return guardedFetch(input, init, { allow });
  };
  return Object.assign(f, { guarded: true as const }) as unknown as GuardedFetch;
}
