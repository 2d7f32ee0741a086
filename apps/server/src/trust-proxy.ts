import { isIP } from 'node:net';

/** Fastify's `trustProxy`: false (no proxy), true (every hop), a hop count, or trusted addresses. */
export type TrustProxy = boolean | number | string[];

/** Names proxy-addr (Fastify's trustProxy) understands for whole address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry) || isIP(entry)) return true;
  const slash = entry.lastIndexOf('/');
  if (slash <= 0) return false;
  const addr = entry.slice(0, slash);
  const bits = entry.slice(slash + 1);
  const family = isIP(addr);
  if (!family) return false;
  // Either a prefix length or (IPv4 only) a dotted netmask, as proxy-addr accepts.
  if (/^\d{1,3}$/.test(bits)) return Number(bits) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(bits) === 4;
}

/**
 * `TRUST_PROXY` → Fastify's `trustProxy`. Unset or "false": forwarded headers are ignored, so a client
 * cannot pick its own IP (login rate limit, audit log) or protocol. "true": trust every hop; a number:
 * trust that many hops; otherwise a comma-separated list of proxy addresses, CIDR ranges or the names
 * loopback / linklocal / uniquelocal.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const v = raw?.trim() ?? '';
  if (v === '' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !validEntry(e));
  if (bad.length || entries.length === 0)
    throw new Error(
      `must be true, false, a hop count, or a comma-separated list of addresses/CIDR ranges (bad: "${bad.join(', ').slice(0, 80)}")`,
    );
  return entries;
}

/**
 * Fastify 5.12 treats a bare hop count as "trust nobody"; a hop count here keeps its usual meaning
 * (the nearest N peers are proxies), which is only safe when nothing reaches the server but the proxy.
 */
export function fastifyTrustProxy(
  tp: TrustProxy,
): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof tp !== 'number') return tp;
  return (_addr, hop) => hop < tp;
}
