import { ATTRIBUTE_PREFIX, IMPORT_FIELDS, type ImportPreview, attributeKeySchema } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';

const FIELD_LABELS: Record<(typeof IMPORT_FIELDS)[number], string> = {
  name: 'Name',
  phone: 'Phone',
  email: 'E-mail',
  channelId: 'Channel',
  externalId: 'Address on the channel',
  labels: 'Labels',
  optIn: 'Opt-in',
};

/** Recent contacts whose attribute keys the preview offers (a large account's keys show up in these). */
const SAMPLED_CONTACTS = 500;

/**
 * What an import column can be mapped to: the contact fields, then the attribute keys the account's
 * contacts carry. The one place to change when attributes get admin-defined definitions: list those.
 */
export async function importTargets(ctx: AppContext, accountId: string): Promise<ImportPreview['targets']> {
  const rows = await ctx.db.kysely
    .selectFrom('contacts')
    .select('attributes')
    .where('account_id', '=', accountId)
    .where('attributes', '!=', '{}')
    .orderBy('updated_at', 'desc')
    .limit(SAMPLED_CONTACTS)
    .execute();
  const keys = new Set<string>();
  for (const r of rows) {
    try {
      for (const key of Object.keys(JSON.parse(r.attributes) as object))
        if (attributeKeySchema.safeParse(key).success) keys.add(key);
    } catch {
      // A row with attributes that are not JSON offers nothing.
    }
  }
  return [
    ...IMPORT_FIELDS.map((f) => ({ target: f, label: FIELD_LABELS[f], kind: 'field' as const })),
    ...[...keys].sort().map((key) => ({
      target: `${ATTRIBUTE_PREFIX}${key}` as const,
      label: key,
      kind: 'attribute' as const,
    })),
  ];
}
