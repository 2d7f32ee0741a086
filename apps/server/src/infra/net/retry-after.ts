/**
 * The one Retry-After parser (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as milliseconds from
 * `now`; undefined when absent or unreadable (the queue's own backoff then applies).
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP-date always names its weekday and month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone
  // would take "-5" for a year.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
