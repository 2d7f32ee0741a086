import type { MergeField, MergePreview } from '@switchboard/shared';
import { MERGE_RULE } from '@switchboard/shared';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { toContactDtos } from '../contact.dto.ts';

type ConsentRow = Row<'contact_consents'>;
type Status = 'opted_in' | 'opted_out';
const FIELDS = ['name', 'phone', 'email'] as const;

export interface MergePlan {
  preview: MergePreview;
  /** The kept contact's columns after the merge. */
  survivorPatch: { name: string | null; phone: string | null; email: string | null; attributes: string };
  /** Field or `attributes.<key>` → the value the kept contact got from the other (for the undo). */
  filled: Record<string, unknown>;
  addedLabels: string[];
  /** Per scope: the consent row the kept contact ends with, and whether it differs from what it had. */
  consent: {
    scope: string;
    result: ConsentRow;
    survivorHad: ConsentRow | null;
    otherHad: ConsentRow | null;
  }[];
}

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** Of two consent rows for one scope: an opt-out wins; of two opt-ins the later one. */
function consentWinner(a: ConsentRow, b: ConsentRow): ConsentRow {
  if (a.status !== b.status) return a.status === 'opted_out' ? a : b;
  return b.updated_at > a.updated_at ? b : a;
}

/**
 * What merging `other` into `survivor` would do, by MERGE_RULE (packages/shared): the survivor's own
 * values win, the other's only fill what is empty; labels are united; an opt-out on either side wins.
 * The preview and the merge both use it, so what the admin saw is what happens.
 */
export async function planMerge(
  tx: Tx,
  survivor: Row<'contacts'>,
  other: Row<'contacts'>,
): Promise<MergePlan> {
  const [sDto, oDto] = await toContactDtos(tx, [survivor, other]);
  const fields: MergeField[] = [];
  const filled: Record<string, unknown> = {};
  const patch = { name: survivor.name, phone: survivor.phone, email: survivor.email };
  for (const f of FIELDS) {
    const s = survivor[f];
    const o = other[f];
    if (empty(s) && empty(o)) continue;
    const result = empty(s) ? o : s;
    if (empty(s) && !empty(o)) {
      patch[f] = o;
      filled[f] = o;
    }
    fields.push({ field: f, survivor: s, other: o, result, conflict: !empty(s) && !empty(o) && s !== o });
  }
  const sAttrs = JSON.parse(survivor.attributes) as Record<string, unknown>;
  const oAttrs = JSON.parse(other.attributes) as Record<string, unknown>;
  const attrs: Record<string, unknown> = Object.assign(Object.create(null), sAttrs);
  const keys = [...new Set([...Object.keys(sAttrs), ...Object.keys(oAttrs)])].sort();
  for (const key of keys) {
    const s = Object.hasOwn(sAttrs, key) ? sAttrs[key] : null;
    const o = Object.hasOwn(oAttrs, key) ? oAttrs[key] : null;
    const result = empty(s) ? o : s;
    if (empty(s) && !empty(o)) {
      attrs[key] = o;
      filled[`attributes.${key}`] = o;
    }
    fields.push({
      field: `attributes.${key}`,
      survivor: s,
      other: o,
      result,
      conflict: !empty(s) && !empty(o) && JSON.stringify(s) !== JSON.stringify(o),
    });
  }

  const consentRows = await tx
    .selectFrom('contact_consents')
    .selectAll()
    .where('contact_id', 'in', [survivor.id, other.id])
    .execute();
  const scopes = [...new Set(consentRows.map((c) => c.scope))].sort();
  const consent = scopes.map((scope) => {
    const s = consentRows.find((c) => c.contact_id === survivor.id && c.scope === scope) ?? null;
    const o = consentRows.find((c) => c.contact_id === other.id && c.scope === scope) ?? null;
    const result = s && o ? consentWinner(s, o) : (s ?? o)!;
    return { scope, result, survivorHad: s, otherHad: o };
  });

  const addedLabels = oDto!.labels.filter((l) => !sDto!.labels.includes(l));
  const count = async (table: 'conversations' | 'contact_notes') =>
    Number(
      (
        await tx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('contact_id', '=', other.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const preview: MergePreview = {
    survivor: sDto!,
    other: oDto!,
    rule: MERGE_RULE,
    fields,
    consent: consent.map((c) => ({
      scope: c.scope,
      survivor: (c.survivorHad?.status as Status | undefined) ?? null,
      other: (c.otherHad?.status as Status | undefined) ?? null,
      result: c.result.status as Status,
    })),
    moves: {
      identities: oDto!.identities.length,
      conversations: await count('conversations'),
      notes: await count('contact_notes'),
      labels: addedLabels.length,
      consent: consent.filter((c) => c.otherHad).length,
    },
  };
  return {
    preview,
    survivorPatch: { ...patch, attributes: JSON.stringify(attrs) },
    filled,
    addedLabels,
    consent,
  };
}
