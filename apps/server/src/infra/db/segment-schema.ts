/** Saved contact segments (migration 0044; modules/segments). */
export interface ContactSegmentsTable {
  id: string;
  account_id: string;
  name: string;
  /** The contact filter as JSON (ContactFilter of packages/shared). */
  filter: string;
  /** null once that user is gone. */
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
