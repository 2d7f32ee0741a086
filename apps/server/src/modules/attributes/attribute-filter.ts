import { type AttributeDefinition, parseAttributeFilterValue } from '@switchboard/shared';
import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';

/**
 * `attribute=key:value` filters as SQL conditions on an attributes JSON column: equality of the
 * typed value (SQLite json_extract, PostgreSQL jsonb), so `5` matches the number 5 and `true` a ticked
 * checkbox. Keys not defined compare as text (contacts' free attributes).
 */
export function attributeConditions(
  dialect: DialectName,
  column: string,
  raw: string | string[] | undefined,
  defs: AttributeDefinition[],
): RawBuilder<boolean>[] {
  if (raw === undefined) return [];
  return [raw].flat().map((f) => {
    const at = f.indexOf(':');
    const key = at > 0 ? f.slice(0, at) : '';
    if (!/^[A-Za-z0-9_]{1,100}$/.test(key))
      throw new DomainError('validation_error', 'attribute: write the filter as key:value');
    const def = defs.find((d) => d.key === key);
    const value = parseAttributeFilterValue(def, f.slice(at + 1));
    if (value === undefined)
      throw new DomainError('validation_error', `attribute: not a value of ${key} (${def?.type})`);
    const col = sql.ref(column);
    if (dialect === 'postgres')
      return sql<boolean>`((${col})::jsonb -> ${key}) = ${JSON.stringify(value)}::jsonb`;
    // SQLite's json_extract reads true/false as 1/0.
    const v = typeof value === 'boolean' ? Number(value) : value;
    return sql<boolean>`json_extract(${col}, ${`$.${key}`}) = ${v}`;
  });
}
