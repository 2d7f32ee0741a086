/** Saved inbox views (migration 0041; modules/views). */
export interface SavedViewsTable {
  id: string;
  account_id: string;
  owner_id: string;
  name: string;
  /** The filters, JSON (viewFiltersSchema in packages/shared). */
  filters: string;
  /** The team an admin shared the view with; null: only its owner sees it. */
  shared_team_id: string | null;
  created_at: number;
  updated_at: number;
}
