import type { AttributeDefinition } from '@switchboard/shared';
import type { Cell, Column } from '../export/export-spec.ts';

/** One column per defined attribute, contact ones first: "Contact: Plan", "Conversation: Order". */
export function attributeColumns(defs: AttributeDefinition[]): Column[] {
  return defs.map((d) => ({
    header: `${d.entity === 'contact' ? 'Contact' : 'Conversation'}: ${d.label}`,
    type: d.type === 'number' ? 'number' : 'text',
    width: d.type === 'checkbox' ? 8 : d.type === 'number' || d.type === 'date' ? 12 : 20,
  }));
}

/** The cells of those columns for one conversation row. */
export function attributeCells(
  defs: AttributeDefinition[],
  contact: Record<string, unknown>,
  conversation: Record<string, unknown>,
): Cell[] {
  return defs.map((d) => {
    const v = (d.entity === 'contact' ? contact : conversation)[d.key];
    if (v === null || v === undefined) return null;
    if (d.type === 'number') return typeof v === 'number' ? v : null;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}
