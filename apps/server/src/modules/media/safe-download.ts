import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// Node's BlockList also applies the IPv4 rules to IPv4-mapped IPv6 addresses (::ffff:127.0.0.1).
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, carrier-grade NAT, documentation, multicast and reserved addresses. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) return blocked.check(ip, 'ipv6');
  return true;
}

class BlockedAddressError extends Error {}

export interface DownloadOptions {
  headers?: Record<string, string>;
  maxBytes: number;
  /** host[:port] values allowed to resolve to private addresses (the channel's configured API base). */
  trustedHosts?: string[];
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface Download {
  bytes: Buffer;
  contentType: string | null;
}

/**
 * GET with SSRF protection: the address is checked in the connection's own DNS lookup, so a name cannot
 * resolve to a public address for the check and to a private one for the connection. Redirects are
 * followed (re-checked each time; credentials are dropped when the host changes). The body is bounded.
 */
export async function safeDownload(rawUrl: string, opts: DownloadOptions): Promise<Download> {
  let url = parseUrl(rawUrl);
  let headers = { ...opts.headers };
  const originalHost = url.host;
  for (let hop = 0; ; hop++) {
    const res = await open(url, headers, opts);
    const location = res.headers.location;
    if ((res.statusCode ?? 0) >= 300) {
      res.resume();
      if (!location) throw new PermanentError(`HTTP ${res.statusCode} without a Location`, 'download_failed');
      if (hop >= (opts.maxRedirects ?? 3)) throw new PermanentError('Too many redirects', 'download_failed');
      url = parseUrl(new URL(location, url).toString());
      if (url.host !== originalHost) headers = withoutCredentials(headers);
      continue;
    }
    return readBody(res, opts.maxBytes);
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PermanentError(`Not a URL: ${raw.slice(0, 100)}`, 'download_failed');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PermanentError(`Refusing to fetch a ${url.protocol} URL`, 'blocked_address');
  }
  return url;
}

function withoutCredentials(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(h).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())),
  );
}

function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number },
  cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { family: options.family ?? 0, all: true }, (err, addresses) => {
    if (err) return cb(err, '');
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0) {
      return cb(new BlockedAddressError(`${hostname} resolves to a private address`), '');
    }
    if (options.all) return cb(null, addresses);
    cb(null, addresses[0]!.address, addresses[0]!.family);
  });
}

function open(url: URL, headers: Record<string, string>, opts: DownloadOptions): Promise<IncomingMessage> {
  const trusted = opts.trustedHosts?.includes(url.host) ?? false;
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!trusted && isIP(literal) && isPrivateAddress(literal)) {
    return Promise.reject(
      new PermanentError(`Refusing to fetch from a private address (${url.host})`, 'blocked_address'),
    );
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers,
      ...(trusted ? {} : { lookup: guardedLookup as never }),
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => {
      if (err instanceof BlockedAddressError) {
        reject(new PermanentError(`Refusing to fetch: ${err.message}`, 'blocked_address'));
      } else {
        reject(new RetryableError(`Download from ${url.host} failed: ${err.message}`));
      }
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 400) return resolve(res);
      res.resume();
      const msg = `Download from ${url.host} failed: HTTP ${status}`;
      if (status === 408 || status === 429 || status >= 500) {
        const after = Number(res.headers['retry-after']);
        reject(new RetryableError(msg, Number.isFinite(after) && after > 0 ? after * 1000 : undefined));
      } else {
        reject(new PermanentError(msg, 'download_failed'));
      }
    });
    req.end();
  });
}

function tooLarge(max: number): PermanentError {
  return new PermanentError(`The file is larger than the ${max}-byte limit (MEDIA_MAX_BYTES)`, 'too_large');
}

function readBody(res: IncomingMessage, max: number): Promise<Download> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    res.destroy();
    return Promise.reject(tooLarge(max));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        // Settle first: destroying emits 'aborted'/'error', which must not win.
        reject(tooLarge(max));
        res.destroy();
        return;
      }
      chunks.push(c);
    });
    res.on('error', (err) => reject(new RetryableError(`Download interrupted: ${err.message}`)));
    res.on('aborted', () => reject(new RetryableError('Download interrupted')));
    res.on('end', () => {
      const type = res.headers['content-type'];
      resolve({ bytes: Buffer.concat(chunks), contentType: typeof type === 'string' ? type : null });
    });
  });
}
