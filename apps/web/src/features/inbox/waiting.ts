import type { Lang } from '../../i18n/format.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type WaitingLevel = 'fresh' | 'long' | 'overdue';

/** How urgent a wait looks: under 15 minutes fresh, under an hour long, then overdue. */
export function waitingLevel(ms: number): WaitingLevel {
  return ms < 15 * MIN ? 'fresh' : ms < HOUR ? 'long' : 'overdue';
}

/**
 * A wait in its largest whole unit ("7 min", "3 h", "2 d"; "1 ч" in Russian): `short` for the row,
 * `long` ("7 minutes") for its title and screen readers. Under a minute counts as one.
 */
export function formatWaiting(lang: Lang, ms: number, display: 'short' | 'long'): string {
  const [unit, n] =
    ms >= DAY
      ? (['day', Math.floor(ms / DAY)] as const)
      : ms >= HOUR
        ? (['hour', Math.floor(ms / HOUR)] as const)
        : (['minute', Math.max(1, Math.floor(ms / MIN))] as const);
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    style: 'unit',
    unit,
    unitDisplay: display,
  }).format(n);
}
