/**
 * The database (or another backing service) is unreachable or shutting down: a temporary condition.
 * Answered 503 with Retry-After so providers redeliver their webhooks later instead of losing them.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  '53300', // too_many_connections
]);

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  // Without a code: node-postgres's own messages for a lost connection, including a query on a pooled
  // client whose connection broke while it was checked out ("... and is not queryable").
  return (
    typeof e?.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(e.message)
  );
}
