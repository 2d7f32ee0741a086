import { z } from 'zod';

/**
 * Custom attributes an admin defines for contacts and for conversations (`/attribute-definitions`):
 * typed values operators edit in the side panel and API clients set with PATCH, filterable in lists and
 * usable in template variables, automation conditions and exports.
 */
export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'list', 'checkbox', 'link'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export const ATTRIBUTE_ENTITIES = ['contact', 'conversation'] as const;
export type AttributeEntity = (typeof ATTRIBUTE_ENTITIES)[number];

/** Lower-case letters, digits and `_`: the key is part of `{{contact.attributes.<key>}}` and rule fields. */
export const attributeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a key is 1-40 lower-case letters, digits or _ and starts with a letter');

const optionText = z.string().trim().min(1).max(100);

export const attributeDefinitionSchema = z.object({
  id: z.string(),
  entity: z.enum(ATTRIBUTE_ENTITIES),
  key: z.string(),
  label: z.string(),
  type: z.enum(ATTRIBUTE_TYPES),
  options: z.array(z.string()).describe('the choices of a `list` attribute (empty for other types)'),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AttributeDefinition = z.infer<typeof attributeDefinitionSchema>;

export const attributeDefinitionsSchema = z.object({ items: z.array(attributeDefinitionSchema) });

export const attributeDefinitionBody = z
  .object({
    entity: z.enum(ATTRIBUTE_ENTITIES),
    key: attributeKey,
    label: z.string().trim().min(1).max(80),
    type: z.enum(ATTRIBUTE_TYPES),
    options: z.array(optionText).max(100).default([]).describe('required for `list`: its choices'),
  })
  .refine((b) => (b.type === 'list') === b.options.length > 0, {
    message: 'a list attribute needs its options; other types take none',
    path: ['options'],
  })
  .refine((b) => new Set(b.options).size === b.options.length, {
    message: 'options must differ',
    path: ['options'],
  });
export type AttributeDefinitionInput = z.input<typeof attributeDefinitionBody>;

export const attributeDefinitionPatch = z
  .object({
    label: z.string().trim().min(1).max(80).optional(),
    options: z.array(optionText).min(1).max(100).optional().describe('list attributes only'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

/** An attribute value on the wire: null removes it (PATCH). */
export const attributeValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Why `value` is not a valid value of the attribute (null: it is). Dates are calendar days
 * `YYYY-MM-DD`, links absolute http(s) URLs, list values one of the options.
 */
export function attributeValueProblem(
  def: Pick<AttributeDefinition, 'type' | 'options'>,
  value: unknown,
): string | null {
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 2000
        ? null
        : 'expected text (up to 2000 characters)';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'expected a date as YYYY-MM-DD';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'list':
      return typeof value === 'string' && def.options.includes(value)
        ? null
        : `expected one of: ${def.options.join(', ')}`;
    case 'link':
      return typeof value === 'string' && /^https?:\/\/[^\s/]+\S*$/i.test(value) && value.length <= 2000
        ? null
        : 'expected an http(s) link';
  }
}

/**
 * A filter's text (`attribute=key:value` in list queries) as the attribute's value: numbers and
 * checkboxes parsed, the rest as written; undefined when it cannot be a value of that type.
 */
export function parseAttributeFilterValue(
  def: Pick<AttributeDefinition, 'type' | 'options'> | undefined,
  raw: string,
): string | number | boolean | undefined {
  if (!def) return raw;
  const v = def.type === 'number' ? Number(raw) : def.type === 'checkbox' ? raw === 'true' : raw;
  if (def.type === 'checkbox' && raw !== 'true' && raw !== 'false') return undefined;
  return attributeValueProblem(def, v) === null ? v : undefined;
}

/** `attribute=key:value` (repeatable): only rows whose attribute `key` equals the value. */
export const attributeFilterQuery = z
  .union([z.string().max(300), z.array(z.string().max(300)).max(5)])
  .optional()
  .describe(
    'custom attribute filter `key:value` (repeat for several, all must hold): numbers and dates as ' +
      'written, checkboxes `true`/`false`, list values as their option',
  );
