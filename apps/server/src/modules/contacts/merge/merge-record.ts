import { type ContactMergeDto, UNMERGE_WINDOW_MS } from '@switchboard/shared';
import type { Row } from '../../../infra/db/schema.ts';

type ConsentRow = Row<'contact_consents'>;

/** What one merge moved and what each side had before: enough to split them back (contact_merges.record). */
export interface MergeRecord {
  identities: string[];
  conversations: string[];
  notes: string[];
  otherLabels: string[];
  addedLabels: string[];
  otherConsent: ConsentRow[];
  /** Scopes whose consent row on the kept contact the merge changed or created, with what it was. */
  survivorConsent: { scope: string; before: ConsentRow | null }[];
  survivorBefore: { name: string | null; phone: string | null; email: string | null; attributes: string };
  /** Field or `attributes.<key>` → the value the kept contact got from the other. */
  filled: Record<string, unknown>;
  /** Contacts merged into the other earlier, now pointing at the kept contact. */
  repointed: string[];
  moved: ContactMergeDto['moved'];
}

export function toMergeDto(r: Row<'contact_merges'>): ContactMergeDto {
  const record = JSON.parse(r.record) as MergeRecord;
  return {
    id: r.id,
    survivorId: r.survivor_id,
    mergedId: r.merged_id,
    via: r.via as ContactMergeDto['via'],
    mergedBy: r.merged_by,
    createdAt: r.created_at,
    undoUntil: r.created_at + UNMERGE_WINDOW_MS,
    undoneAt: r.undone_at,
    moved: record.moved,
  };
}
