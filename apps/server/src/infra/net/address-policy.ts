import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * IPv6 forms that carry an IPv4 address inside them, and where it sits (byte offset). An attacker can
 * spell 127.0.0.1 as ::ffff:127.0.0.1, ::127.0.0.1, 64:ff9b::7f00:1 or 2002:7f00:1::, so each of these
 * is judged by the IPv4 address it embeds.
 */
const EMBEDDING: [net: string, prefix: number, offset: number][] = [
  ['::ffff:0:0', 96, 12], // IPv4-mapped
  ['::ffff:0:0:0', 96, 12], // IPv4-translated (RFC 6145)
  ['::', 96, 12], // IPv4-compatible (deprecated, still routed by some stacks)
  ['64:ff9b::', 96, 12], // NAT64 well-known prefix (RFC 6052)
  ['2002::', 16, 2], // 6to4
];
const embeddings = EMBEDDING.map(([net, prefix, offset]) => ({
  range: [ipaddr.IPv6.parse(net), prefix] as [ipaddr.IPv6, number],
  offset,
}));
/** Global unicast space; everything outside it (ULA, link-local, multicast, 64:ff9b:1::/48...) is not the internet. */
const GLOBAL_UNICAST: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

function parse(ip: string): Address | null {
  if (isIP(ip) === 0) return null;
  return ipaddr.parse(ip);
}

/** The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  for (const { range, offset } of embeddings) {
    if (a.match(range)) {
      const b = a.toByteArray();
      return new ipaddr.IPv4(b.slice(offset, offset + 4));
    }
  }
  return null;
}

function isPublic(a: Address): boolean {
  if (a.kind() === 'ipv4') return a.range() === 'unicast';
  const v6 = a as ipaddr.IPv6;
  const v4 = embeddedIPv4(v6);
  if (v4) return isPublic(v4);
  // ipaddr.js names the special ranges (teredo, documentation, ULA, ...) and calls the rest unicast.
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST);
}

/**
 * True for an address on the public internet. Loopback, private, link-local, carrier-grade NAT,
 * multicast, documentation, benchmarking and reserved ranges are not, in IPv4 and IPv6, including every
 * IPv6 spelling of such an IPv4 address. Anything that is not an IP address is not public either.
 */
export function isPublicAddress(ip: string): boolean {
  const a = parse(ip);
  return a !== null && isPublic(a);
}

/** Judges IPv4-mapped forms by their IPv4 address, so an allowlisted 127.0.0.1 also covers ::ffff:127.0.0.1. */
function canonical(a: Address): Address {
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (a as ipaddr.IPv6).toIPv4Address();
  }
  return a;
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * The operator's exceptions to the guard (`ALLOW_PRIVATE_URLS`): host names, addresses and CIDR ranges
 * that may be reached although they are not public.
 */
export class AllowList {
  private constructor(
    readonly entries: readonly string[],
    private readonly hosts: ReadonlySet<string>,
    private readonly ranges: readonly [Address, number][],
  ) {}

  static readonly empty = new AllowList([], new Set(), []);

  /**
   * Parses entries like `127.0.0.1`, `localhost`, `::1`, `10.0.0.0/8`, `fd00::/8`. Throws an Error
   * naming the first entry that is none of these.
   */
  static parse(entries: readonly string[] | string): AllowList {
    const list = (typeof entries === 'string' ? entries.split(',') : entries)
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const hosts = new Set<string>();
    const ranges: [Address, number][] = [];
    for (const entry of list) {
      const bare = entry.replace(/^\[(.*)\]$/, '$1');
      if (bare.includes('/')) {
        let cidr: [Address, number];
        try {
          cidr = ipaddr.parseCIDR(bare);
        } catch {
          throw new Error(`"${entry}" is not a CIDR range (like 10.0.0.0/8 or fd00::/8)`);
        }
        ranges.push(cidr);
      } else if (isIP(bare)) {
        const a = ipaddr.parse(bare);
        ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      } else if (HOST_NAME.test(entry.toLowerCase())) {
        hosts.add(entry.toLowerCase());
      } else {
        throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
      }
    }
    return new AllowList(list, hosts, ranges);
  }

  /** Whether the allowlist names this host (a URL's host name, without brackets). */
  hasHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  /** Whether an address falls in one of the allowlisted addresses or ranges. */
  hasAddress(ip: string): boolean {
    const a = parse(ip);
    if (!a) return false;
    const c = canonical(a);
    return this.ranges.some(([net, prefix]) => {
      const n = canonical(net);
      // A range written as ::ffff:a.b.c.d/n is an IPv4 range of n - 96 bits.
      const bits = n !== net ? prefix - 96 : prefix;
      return c.kind() === n.kind() && bits >= 0 && c.match(n, bits);
    });
  }

  /** The guard's decision: `address` is what `hostname` resolved to (or the literal itself). */
  permits(hostname: string, address: string): boolean {
    return isPublicAddress(address) || this.hasHost(hostname) || this.hasAddress(address);
  }
}
