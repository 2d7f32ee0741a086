/** The custom attribute definitions (migration 0036; modules/attributes). */
export interface AttributeDefinitionsTable {
  id: string;
  account_id: string;
  /** contact | conversation */
  entity: string;
  key: string;
  label: string;
  /** text | number | date | list | checkbox | link */
  type: string;
  /** JSON string[]: a list attribute's options. */
  options: string;
  created_at: number;
  updated_at: number;
}
