/** The API tokens screen's expiry choice → the token's `expiresAt`. */
export type Expiry = 'never' | '30' | '90' | 'date';
const DAY = 86_400_000;

/** When a token chosen with these controls stops working; undefined while a date is still missing. */
export function expiryOf(choice: Expiry, date: string, now = Date.now()): number | null | undefined {
  if (choice === 'never') return null;
  if (choice === 'date') {
    // Valid through the whole chosen day, in the admin's own time zone.
    const end = date ? new Date(`${date}T23:59:59.999`).getTime() : Number.NaN;
    return Number.isFinite(end) && end > now ? end : undefined;
  }
  return now + Number(choice) * DAY;
}
