import type { LocalizedText, SettingField, SettingFieldType, SettingMeta } from '@switchboard/shared';
import { z } from 'zod';

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  anyOf?: JsonSchema[];
}

type FieldSchema = JsonSchema & Partial<SettingMeta>;

/**
 * The admin's form for a channel's settings, generated from the adapter's zod schema (through zod's own
 * JSON Schema conversion, input side: what an admin may send), so the form can never list a field the
 * server does not take or miss one it requires. Labels, help and secrecy come from each field's `.meta()`.
 */
export function settingsFormOf(schema: z.ZodType): readonly SettingField[] {
  let form = forms.get(schema);
  if (!form) {
    form = buildForm(schema);
    forms.set(schema, form);
  }
  return form;
}

/** Schemas are module constants: each form is converted once per process, not on every app build. */
const forms = new WeakMap<z.ZodType, readonly SettingField[]>();

function buildForm(schema: z.ZodType): readonly SettingField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, raw]) => {
    const f = raw as FieldSchema;
    const type = fieldType(f);
    const options = f.enum
      ? f.enum.map((v) => ({ value: String(v), label: f.optionLabels?.[String(v)] ?? null }))
      : null;
    const field: SettingField = {
      name,
      type,
      required: required.has(name) || f.requiredOnCreate === true,
      secret: f.secret === true,
      advanced: f.advanced === true,
      label: f.label ?? fallbackLabel(name),
      help: f.help ?? null,
      placeholder: f.placeholder ?? null,
      options,
    };
    if (f.default !== undefined) field.default = f.default;
    return field;
  });
}

function fieldType(f: FieldSchema): SettingFieldType {
  if (f.secret) return 'secret';
  if (f.enum) return 'select';
  const t = Array.isArray(f.type) ? f.type[0] : f.type;
  switch (t) {
    case 'string':
      return f.format === 'uri' ? 'url' : 'text';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    case 'array':
      return f.items?.type === 'string' ? 'list' : 'object';
    case 'object': {
      const keys = Object.keys(f.properties ?? {}).sort();
      return keys.length === 2 && keys[0] === 'en' && keys[1] === 'ru' ? 'localized' : 'object';
    }
    default:
      return 'object';
  }
}

/** A field without a declared label still shows (the contract suite fails the adapter for it). */
function fallbackLabel(name: string): LocalizedText {
  return { en: name, ru: name };
}
