import { type AttributeDefinition, type AttributeEntity, attributeValueProblem } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';

/** A stored attributes column as an object (a malformed one reads as empty, never throws). */
export function parseAttributes(raw: string | null | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(raw ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toDefinitionDto(r: Row<'attribute_definitions'>): AttributeDefinition {
  return {
    id: r.id,
    entity: r.entity as AttributeEntity,
    key: r.key,
    label: r.label,
    type: r.type as AttributeDefinition['type'],
    options: JSON.parse(r.options) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The account's definitions of one entity, in the order the admin created them. */
export async function loadDefinitions(
  k: Tx,
  accountId: string,
  entity?: AttributeEntity,
): Promise<AttributeDefinition[]> {
  const rows = await k
    .selectFrom('attribute_definitions')
    .selectAll()
    .where('account_id', '=', accountId)
    .$if(entity !== undefined, (q) => q.where('entity', '=', entity!))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toDefinitionDto);
}

/**
 * Merges a PATCH's attributes into the stored ones (null removes), checking each defined key by its
 * type. `onlyDefined`: conversations take defined keys only; contacts keep their free keys as before.
 */
export function mergeAttributes(
  stored: Record<string, unknown>,
  patch: Record<string, unknown>,
  defs: AttributeDefinition[],
  onlyDefined: boolean,
): Record<string, unknown> {
  // No prototype: a key named "__proto__" stays an ordinary attribute.
  const merged: Record<string, unknown> = Object.assign(Object.create(null), stored);
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(patch)) {
    const def = byKey.get(key);
    if (!def && onlyDefined)
      throw new DomainError('validation_error', `attributes.${key}: no such attribute is defined`);
    if (value === null) {
      delete merged[key];
      continue;
    }
    const problem = def ? attributeValueProblem(def, value) : null;
    if (problem) throw new DomainError('validation_error', `attributes.${key}: ${problem}`);
    merged[key] = value;
  }
  return merged;
}
