import type { ReportQuery } from '@switchboard/shared';
import { DomainError } from '../../lib/domain-error.ts';
import { firstInstantAtLocal, isValidTimeZone } from '../../lib/zoned-time.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_SPAN_MS = 400 * 86_400_000;

/** What every report query is about: a half-open span of instants, a zone, and the filters. */
export interface ReportScope {
  accountId: string;
  from: number;
  to: number;
  tz: string;
  channel?: string;
  team?: string;
  operator?: string;
  label?: string;
  business: boolean;
  details: boolean;
}

function parseBound(raw: string, tz: string, end: boolean, name: string): number {
  const date = DATE.exec(raw);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      throw new DomainError('validation_error', `${name}: no such date`);
    // `to` as a date includes that whole local day.
    return firstInstantAtLocal(tz, y, m, d + (end ? 1 : 0), 0);
  }
  if (/^\d{1,15}$/.test(raw)) return Number(raw);
  // An instant needs its offset: a bare local time would silently mean the server's zone.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(raw) || Number.isNaN(Date.parse(raw)))
    throw new DomainError('validation_error', `${name}: YYYY-MM-DD, an ISO instant with offset, or epoch ms`);
  return Date.parse(raw);
}

export function scopeOf(accountId: string, q: ReportQuery, accountZone: string): ReportScope {
  const tz = q.tz ?? accountZone;
  if (!isValidTimeZone(tz))
    throw new DomainError('validation_error', 'tz: not an IANA time zone (e.g. Europe/Moscow)');
  const from = parseBound(q.from, tz, false, 'from');
  const to = parseBound(q.to, tz, true, 'to');
  if (to <= from) throw new DomainError('validation_error', 'to must be after from');
  if (to - from > MAX_SPAN_MS)
    throw new DomainError('validation_error', 'the period may span at most 400 days');
  return {
    accountId,
    from,
    to,
    tz,
    channel: q.channel,
    team: q.team,
    operator: q.operator,
    label: q.label,
    business: q.hours === 'business',
    details: q.details === 'true',
  };
}
