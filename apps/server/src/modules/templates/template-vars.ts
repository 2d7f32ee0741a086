/**
 * Template text: plain text with `{{variable}}` or `{{variable | fallback}}` placeholders.
 * Rendering never lets a placeholder through: a variable with no value becomes its fallback or nothing,
 * and is reported so the composer can flag it before anything reaches a customer.
 */

import { SAVED_REPLY_VARIABLES } from '@switchboard/shared';

export const KNOWN_VARIABLES = SAVED_REPLY_VARIABLES;

const ATTRIBUTE_PREFIX = 'contact.attributes.';
const CONVERSATION_ATTRIBUTE_PREFIX = 'conversation.attributes.';
const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

export interface Placeholder {
  /** Offsets of the whole `{{...}}` in the template text. */
  start: number;
  end: number;
  name: string;
  fallback: string | null;
}

export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    name: m[1]!,
    fallback: m[2] ?? null,
  }));
}

/** Whether a name is one this server can fill (any contact attribute counts: contacts differ). */
export function isKnownVariable(name: string): boolean {
  return (
    (KNOWN_VARIABLES as readonly string[]).includes(name) ||
    (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length) ||
    (name.startsWith(CONVERSATION_ATTRIBUTE_PREFIX) && name.length > CONVERSATION_ATTRIBUTE_PREFIX.length)
  );
}

export function variablesOf(text: string): { name: string; known: boolean }[] {
  const seen = new Map<string, boolean>();
  for (const p of placeholders(text)) seen.set(p.name, isKnownVariable(p.name));
  return [...seen].map(([name, known]) => ({ name, known }));
}

export interface RenderContext {
  contact: {
    name: string | null;
    phone: string | null;
    email: string | null;
    attributes: Record<string, unknown>;
  };
  operator: { name: string; email: string };
  conversation: { id: string; attributes?: Record<string, unknown> };
  channel: { name: string };
}

export interface Unresolved {
  variable: string;
  /** unknown: no such variable (or attribute); empty: known, but this conversation has no value. */
  reason: 'unknown' | 'empty';
  /** Where in the rendered text the value is missing. */
  offset: number;
}

export interface Rendered {
  text: string;
  unresolved: Unresolved[];
}

function words(s: string | null): string[] {
  return (s ?? '').trim().split(/\s+/).filter(Boolean);
}

/** The value of a variable, '' when known but empty, undefined when not a variable we know. */
export function variableValue(name: string, c: RenderContext): string | undefined {
  switch (name) {
    case 'contact.name':
      return c.contact.name?.trim() ?? '';
    case 'contact.first_name':
      return words(c.contact.name)[0] ?? '';
    case 'contact.last_name': {
      const w = words(c.contact.name);
      return w.length > 1 ? w[w.length - 1]! : '';
    }
    case 'contact.phone':
      return c.contact.phone ?? '';
    case 'contact.email':
      return c.contact.email ?? '';
    case 'operator.name':
      return c.operator.name;
    case 'operator.first_name':
      return words(c.operator.name)[0] ?? '';
    case 'operator.email':
      return c.operator.email;
    case 'conversation.id':
      return c.conversation.id;
    case 'channel.name':
      return c.channel.name;
  }
  if (name.startsWith(CONVERSATION_ATTRIBUTE_PREFIX)) {
    const attrs = c.conversation.attributes ?? {};
    const key = name.slice(CONVERSATION_ATTRIBUTE_PREFIX.length);
    if (!Object.hasOwn(attrs, key)) return undefined;
    const v = attrs[key];
    return v === null || v === undefined ? '' : String(v);
  }
  if (name.startsWith(ATTRIBUTE_PREFIX)) {
    const key = name.slice(ATTRIBUTE_PREFIX.length);
    if (!Object.hasOwn(c.contact.attributes, key)) return undefined;
    const v = c.contact.attributes[key];
    return v === null || v === undefined ? '' : String(v);
  }
  return undefined;
}

export function render(text: string, c: RenderContext): Rendered {
  let out = '';
  let last = 0;
  const unresolved: Unresolved[] = [];
  for (const p of placeholders(text)) {
    out += text.slice(last, p.start);
    last = p.end;
    const v = variableValue(p.name, c);
    if (v) out += v;
    else if (p.fallback) out += p.fallback;
    else
      unresolved.push({
        variable: p.name,
        reason: v === undefined ? 'unknown' : 'empty',
        offset: out.length,
      });
  }
  return { text: out + text.slice(last), unresolved };
}
