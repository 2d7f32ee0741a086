/** Period presets, in the browser's time zone (sent to the server as `tz`). */
export const PRESETS = ['today', '7d', '30d', '90d', 'month'] as const;
export type Preset = (typeof PRESETS)[number];

export interface Period {
  from: string;
  to: string;
  tz: string;
}

const DAY = 86_400_000;

export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function ymd(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function shift(d: Date, days: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);
}

export function periodOf(preset: Preset, now = new Date()): Period {
  const tz = browserZone();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (preset === 'today') return { from: ymd(today), to: ymd(today), tz };
  if (preset === 'month')
    return { from: ymd(new Date(today.getFullYear(), today.getMonth(), 1)), to: ymd(today), tz };
  const days = preset === '7d' ? 7 : preset === '30d' ? 30 : 90;
  return { from: ymd(shift(today, -(days - 1))), to: ymd(today), tz };
}

/** Local midnight of a YYYY-MM-DD date (the period's zone is the browser's). */
export function startOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
}

/** The same number of days just before (for "change against the previous period"). */
export function previousPeriod(p: Period): Period {
  const from = startOf(p.from);
  const days = Math.round((startOf(p.to) - from) / DAY) + 1;
  const start = new Date(from);
  return { from: ymd(shift(start, -days)), to: ymd(shift(start, -1)), tz: p.tz };
}

/** [from, to) of the period in epoch ms, for drill-down into the conversation list. */
export function periodMs(p: Period): { from: number; to: number } {
  const [y, m, d] = p.to.split('-').map(Number) as [number, number, number];
  return { from: startOf(p.from), to: new Date(y, m - 1, d + 1).getTime() };
}

export function intervalFor(p: Period): 'hour' | 'day' | 'week' {
  const days = (periodMs(p).to - periodMs(p).from) / DAY;
  return days <= 2 ? 'hour' : days <= 120 ? 'day' : 'week';
}
