import {
  type AutomationAction,
  type AutomationActionType,
  type AutomationEvent,
  type AutomationRule,
  type AutomationRuleInput,
  CONTACT_ATTRIBUTE_PREFIX,
  CONVERSATION_ATTRIBUTE_PREFIX,
  type ConditionOp,
  LIST_OPS,
  TIMED_AUTOMATION_EVENTS,
  VALUELESS_OPS,
  fieldSpec,
} from '@switchboard/shared';

/** The form's state of one rule: every input as typed, turned into the API's shape only on save. */
export const ATTRIBUTE_FIELD = 'contact.attributes.*';
/** The form picks `<prefix>*` and types the key apart; the rule stores `<prefix><key>`. */
const ATTRIBUTE_FIELDS: Readonly<Record<string, string>> = {
  [ATTRIBUTE_FIELD]: CONTACT_ATTRIBUTE_PREFIX,
  'conversation.attributes.*': CONVERSATION_ATTRIBUTE_PREFIX,
};

/** The stored prefix of a wildcard attribute field, undefined for every other field. */
export function attributePrefix(field: string): string | undefined {
  return ATTRIBUTE_FIELDS[field];
}

/** What a field's rules (operators, words) are looked up by: a wildcard stands for any of its keys. */
export function specField(field: string): string {
  const prefix = attributePrefix(field);
  return prefix ? `${prefix}x` : field;
}
export type DelayUnit = 'minutes' | 'hours' | 'days';
const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 1440 };

export interface ConditionDraft {
  key: string;
  /** A field of AUTOMATION_FIELDS; a wildcard (`contact.attributes.*`, …) with `attribute` naming the key. */
  field: string;
  attribute: string;
  op: ConditionOp;
  values: string[];
  text: string;
}

export interface ActionDraft {
  key: string;
  type: AutomationActionType;
  label: string;
  priority: string;
  teamId: string;
  userId: string;
  status: string;
  minutes: number | '';
  text: string;
  templateName: string;
  templateLanguage: string;
  templateParams: string[];
  url: string;
}

export interface RuleDraft {
  name: string;
  event: AutomationEvent;
  match: 'all' | 'any';
  delay: number | '';
  delayUnit: DelayUnit;
  enabled: boolean;
  conditions: ConditionDraft[];
  actions: ActionDraft[];
}

let counter = 0;
const nextKey = () => `k${++counter}`;

export type ValueKind = 'list' | 'word' | 'text' | 'none';

export function valueKind(op: ConditionOp): ValueKind {
  if (VALUELESS_OPS.includes(op)) return 'none';
  if (LIST_OPS.includes(op)) return 'list';
  if (op === 'is') return 'word';
  return 'text';
}

export function opsOf(field: string): readonly ConditionOp[] {
  return fieldSpec(specField(field))?.ops ?? [];
}

export function newCondition(field = 'message.text'): ConditionDraft {
  return { key: nextKey(), field, attribute: '', op: opsOf(field)[0]!, values: [], text: '' };
}

export function newAction(type: AutomationActionType = 'add_label'): ActionDraft {
  return {
    key: nextKey(),
    type,
    label: '',
    priority: 'high',
    teamId: '',
    userId: '',
    status: 'resolved',
    minutes: 60,
    text: '',
    templateName: '',
    templateLanguage: '',
    templateParams: [],
    url: '',
  };
}

export function emptyDraft(): RuleDraft {
  return {
    name: '',
    event: 'message.created',
    match: 'all',
    delay: 30,
    delayUnit: 'minutes',
    enabled: true,
    conditions: [],
    actions: [newAction()],
  };
}

export const isTimed = (e: AutomationEvent) => TIMED_AUTOMATION_EVENTS.includes(e);

function conditionOut(c: ConditionDraft) {
  const prefix = attributePrefix(c.field);
  const field = prefix ? `${prefix}${c.attribute.trim()}` : c.field;
  const kind = valueKind(c.op);
  const value = kind === 'list' ? c.values : kind === 'none' ? undefined : c.text;
  return { field, op: c.op, ...(value === undefined ? {} : { value }) };
}

function actionOut(a: ActionDraft): AutomationAction {
  const minutes = typeof a.minutes === 'number' ? a.minutes : 0;
  switch (a.type) {
    case 'add_label':
    case 'remove_label':
      return { type: a.type, label: a.label.trim() };
    case 'set_priority':
      return { type: a.type, priority: a.priority as 'high' };
    case 'assign_team':
      return { type: a.type, teamId: a.teamId };
    case 'assign_operator':
      return { type: a.type, userId: a.userId };
    case 'auto_assign':
      return { type: a.type };
    case 'set_status':
      return { type: a.type, status: a.status as 'resolved' };
    case 'snooze':
    case 'mute':
      return { type: a.type, minutes };
    case 'send_message':
    case 'add_note':
      return { type: a.type, text: a.text };
    case 'send_template':
      return {
        type: a.type,
        template: {
          name: a.templateName.trim(),
          language: a.templateLanguage.trim(),
          ...(a.templateParams.length ? { bodyParameters: a.templateParams } : {}),
        },
      };
    case 'send_webhook':
      return { type: a.type, url: a.url.trim() };
  }
}

/** The API body for a draft (the server validates it and answers with what is wrong). */
export function toInput(d: RuleDraft): AutomationRuleInput {
  const timed = isTimed(d.event);
  return {
    name: d.name.trim(),
    event: d.event,
    match: d.match,
    conditions: d.conditions.map(conditionOut) as AutomationRuleInput['conditions'],
    actions: d.actions.map(actionOut),
    enabled: d.enabled,
    ...(timed
      ? { delayMinutes: (typeof d.delay === 'number' ? d.delay : 0) * UNIT_MINUTES[d.delayUnit] }
      : {}),
  };
}

function delayOf(minutes: number | null): Pick<RuleDraft, 'delay' | 'delayUnit'> {
  if (!minutes) return { delay: 30, delayUnit: 'minutes' };
  if (minutes % 1440 === 0) return { delay: minutes / 1440, delayUnit: 'days' };
  if (minutes % 60 === 0) return { delay: minutes / 60, delayUnit: 'hours' };
  return { delay: minutes, delayUnit: 'minutes' };
}

/** A stored rule back into the form. */
export function fromRule(r: AutomationRule): RuleDraft {
  return {
    name: r.name,
    event: r.event,
    match: r.match,
    enabled: r.enabled,
    ...delayOf(r.delayMinutes),
    conditions: r.conditions.map((c) => {
      const wildcard = Object.entries(ATTRIBUTE_FIELDS).find(([, prefix]) => c.field.startsWith(prefix));
      return {
        key: nextKey(),
        field: wildcard ? wildcard[0] : c.field,
        attribute: wildcard ? c.field.slice(wildcard[1].length) : '',
        op: c.op,
        values: Array.isArray(c.value) ? c.value : [],
        text: Array.isArray(c.value) || c.value === undefined ? '' : String(c.value),
      };
    }),
    actions: r.actions.map((a) => {
      const d = newAction(a.type);
      if ('label' in a) d.label = a.label;
      if ('priority' in a) d.priority = a.priority;
      if ('teamId' in a) d.teamId = a.teamId;
      if ('userId' in a) d.userId = a.userId;
      if ('status' in a) d.status = a.status;
      if ('minutes' in a) d.minutes = a.minutes;
      if ('text' in a) d.text = a.text;
      if ('url' in a) d.url = a.url;
      if ('template' in a) {
        d.templateName = a.template.name;
        d.templateLanguage = a.template.language;
        d.templateParams = a.template.bodyParameters ?? [];
      }
      return d;
    }),
  };
}
