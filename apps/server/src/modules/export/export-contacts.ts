import { ATTRIBUTE_PREFIX } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { applyContactFilter } from '../contacts/contact-filter.ts';
import type { Cell, Column, ExportSpec } from './export-spec.ts';

/** Contacts are read in keyset pages of this size (the export's page size). */
const PAGE = 1000;

/**
 * The fixed columns of a contacts export; `externalId`-style headers the import reads back. The
 * attribute columns follow, one per key, headed `attributes.<key>` so the file imports as it is.
 */
const FIXED: Column[] = [
  { header: 'Contact ID', type: 'text', width: 38 },
  { header: 'name', type: 'text', width: 24 },
  { header: 'phone', type: 'text', width: 16 },
  { header: 'email', type: 'text', width: 24 },
  { header: 'Identities', type: 'text', width: 30 },
  { header: 'labels', type: 'text', width: 20 },
  { header: 'Consent', type: 'text', width: 24 },
  { header: 'Created', type: 'date', width: 20 },
  { header: 'Updated', type: 'date', width: 20 },
];

/** The live contacts of the account that the export's contact filter matches (as GET /contacts). */
const base = (ctx: AppContext, spec: ExportSpec) =>
  applyContactFilter(
    ctx.db.kysely,
    ctx.db.dialect,
    spec.accountId,
    ctx.db.kysely.selectFrom('contacts'),
    spec.filter.contacts ?? {},
  );

function attributesOf(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Every attribute key the account's contacts carry, read page by page (only that column). */
async function attributeKeys(ctx: AppContext, spec: ExportSpec): Promise<string[]> {
  const keys = new Set<string>();
  let after = '';
  for (;;) {
    const page = await (await base(ctx, spec))
      .select(['id', 'attributes'])
      .where('id', '>', after)
      .where('attributes', '!=', '{}')
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of page) for (const k of Object.keys(attributesOf(r.attributes))) keys.add(k);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return [...keys].sort();
}

export async function contactColumns(
  ctx: AppContext,
  spec: ExportSpec,
): Promise<{ columns: Column[]; keys: string[] }> {
  const keys = await attributeKeys(ctx, spec);
  return {
    keys,
    columns: [
      ...FIXED,
      ...keys.map((k) => ({ header: `${ATTRIBUTE_PREFIX}${k}`, type: 'text' as const, width: 16 })),
    ],
  };
}

export async function countContacts(ctx: AppContext, spec: ExportSpec): Promise<number> {
  const r = await (await base(ctx, spec))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The account's contacts with identities, labels, consent and every attribute, one page at a time. */
export async function* contactRows(
  ctx: AppContext,
  spec: ExportSpec,
  keys: string[],
): AsyncGenerator<Cell[][]> {
  const k = ctx.db.kysely;
  const channels = new Map(
    (
      await k.selectFrom('channels').select(['id', 'name']).where('account_id', '=', spec.accountId).execute()
    ).map((c) => [c.id, c.name]),
  );
  let after = '';
  for (;;) {
    const page = await (await base(ctx, spec))
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (page.length === 0) return;
    const ids = page.map((c) => c.id);
    const [identities, labels, consents] = await Promise.all([
      k
        .selectFrom('contact_identities')
        .select(['contact_id', 'channel_id', 'external_id'])
        .where('contact_id', 'in', ids)
        .orderBy('created_at')
        .execute(),
      k
        .selectFrom('contact_labels')
        .select(['contact_id', 'label'])
        .where('contact_id', 'in', ids)
        .orderBy('label')
        .execute(),
      k
        .selectFrom('contact_consents')
        .select(['contact_id', 'scope', 'status'])
        .where('contact_id', 'in', ids)
        .orderBy('scope')
        .execute(),
    ]);
    const by = <T extends { contact_id: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(r.contact_id, [...(m.get(r.contact_id) ?? []), r]);
      return m;
    };
    const idm = by(identities);
    const lm = by(labels);
    const cm = by(consents);
    yield page.map((c) => {
      const attrs = attributesOf(c.attributes);
      return [
        c.id,
        c.name,
        c.phone,
        c.email,
        (idm.get(c.id) ?? [])
          .map((i) => `${channels.get(i.channel_id) ?? i.channel_id}: ${i.external_id}`)
          .join('; '),
        (lm.get(c.id) ?? []).map((l) => l.label).join('|'),
        (cm.get(c.id) ?? []).map((x) => `${x.scope}: ${x.status}`).join('; '),
        c.created_at,
        c.updated_at,
        ...keys.map((key) => cellOf(attrs[key])),
      ];
    });
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}
