import {
  type AutomationCondition,
  CONTACT_ATTRIBUTE_PREFIX,
  CONVERSATION_ATTRIBUTE_PREFIX,
} from '@switchboard/shared';
import { testRegex } from './regex-guard.ts';
import type { RuleFacts } from './rule-facts.types.ts';
import { containsAnyWord, stemSet } from './word-match.ts';

export interface Evaluation {
  matched: boolean;
  /** Problems met while testing (a regex that ran out of time); the run is logged with them. */
  errors: string[];
}

type Scalar = string | number | boolean | null | undefined;

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const list = (v: AutomationCondition['value']): string[] => (Array.isArray(v) ? v : []);

/** The primary language subtag of a known language ("ru-RU" → "ru"), or null. */
export function languageOf(attributes: Record<string, unknown>): string | null {
  const raw = attributes.language ?? attributes.locale;
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  return raw.trim().toLowerCase().split(/[-_]/)[0] ?? null;
}

function scalarOf(field: string, f: RuleFacts): Scalar {
  switch (field) {
    case 'channel.id':
      return f.channel.id;
    case 'channel.type':
      return f.channel.type;
    case 'contact.language':
      return languageOf(f.contact.attributes);
    case 'conversation.status':
      return f.conversation.status;
    case 'conversation.priority':
      return f.conversation.priority;
    case 'conversation.team':
      return f.conversation.teamId;
    case 'conversation.assignee':
      return f.conversation.assigneeId;
    case 'message.direction':
      return f.message?.direction;
    case 'business_hours':
      return f.businessHoursOpen ? 'open' : 'closed';
  }
  if (field.startsWith(CONTACT_ATTRIBUTE_PREFIX)) {
    const v = f.contact.attributes[field.slice(CONTACT_ATTRIBUTE_PREFIX.length)];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (field.startsWith(CONVERSATION_ATTRIBUTE_PREFIX)) {
    const v = f.conversation.attributes[field.slice(CONVERSATION_ATTRIBUTE_PREFIX.length)];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  return undefined;
}

function setOf(field: string, f: RuleFacts): string[] {
  return field === 'contact.labels' ? f.contact.labels : f.conversation.labels;
}

function present(v: Scalar): boolean {
  return v !== null && v !== undefined && v !== '';
}

function one(c: AutomationCondition, f: RuleFacts, errors: string[], stems: () => Set<string>): boolean {
  if (c.field === 'message.text') {
    const text = f.message?.text ?? '';
    if (c.op === 'contains_any') return containsAnyWord(stems(), list(c.value));
    if (c.op === 'not_contains_any') return !containsAnyWord(stems(), list(c.value));
    const outcome = testRegex(String(c.value), text);
    if (outcome === 'timeout') errors.push(`regular expression timed out: ${String(c.value)}`);
    return outcome === 'match';
  }
  if (c.op === 'has_any' || c.op === 'has_all' || c.op === 'has_none') {
    const have = new Set(setOf(c.field, f).map((l) => l.toLowerCase()));
    const want = list(c.value).map((l) => l.toLowerCase());
    if (c.op === 'has_any') return want.some((w) => have.has(w));
    if (c.op === 'has_all') return want.every((w) => have.has(w));
    return !want.some((w) => have.has(w));
  }
  const v = scalarOf(c.field, f);
  switch (c.op) {
    case 'is':
      return v === c.value;
    case 'in':
      return present(v) && list(c.value).some((x) => lower(x) === lower(v));
    case 'not_in':
      return !present(v) || !list(c.value).some((x) => lower(x) === lower(v));
    case 'is_set':
      return present(v);
    case 'is_not_set':
      return !present(v);
    case 'eq':
      return present(v) && lower(String(v)) === lower(String(c.value));
    case 'neq':
      return present(v) && lower(String(v)) !== lower(String(c.value));
    case 'contains':
      return present(v) && String(v).toLowerCase().includes(String(c.value).toLowerCase());
    default:
      return false;
  }
}

/** All (or any) of the conditions against the facts; no conditions = always. */
export function evaluateConditions(
  match: 'all' | 'any',
  conditions: readonly AutomationCondition[],
  facts: RuleFacts,
): Evaluation {
  const errors: string[] = [];
  let cached: Set<string> | undefined;
  const stems = () => {
    cached ??= stemSet(facts.message?.text ?? '');
    return cached;
  };
  if (conditions.length === 0) return { matched: true, errors };
  const results = conditions.map((c) => one(c, facts, errors, stems));
  return { matched: match === 'all' ? results.every(Boolean) : results.some(Boolean), errors };
}
