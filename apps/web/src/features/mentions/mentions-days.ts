/** Every day from `from` to `to` (YYYY-MM-DD, both included) with the counts found, 0 where none. */
export function fillDays<T extends { day: string }>(
  from: string,
  to: string,
  found: T[],
  empty: (day: string) => T,
): T[] {
  const byDay = new Map(found.map((d) => [d.day, d]));
  const days: string[] = [];
  // Calendar arithmetic on UTC dates: the strings are local days already, only the count matters.
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  // A day of the account's zone may fall just outside the browser's period: shown, never dropped.
  for (const d of found) if (!days.includes(d.day)) days.push(d.day);
  return days.sort().map((d) => byDay.get(d) ?? empty(d));
}
