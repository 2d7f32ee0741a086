/** A file a template carries (migration 0043); the row owns its stored bytes. */
export interface TemplateAttachmentsTable {
  id: string;
  account_id: string;
  template_id: string;
  name: string | null;
  mime_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: number;
}
