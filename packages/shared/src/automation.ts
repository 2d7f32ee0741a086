import { z } from 'zod';
import { CONVERSATION_STATUSES, PRIORITIES } from './domain.ts';

/**
 * Automation rules (`/api/v1/automation-rules`): when `event` happens to a conversation and its
 * `conditions` hold (`match: "all"` — every one, `"any"` — at least one), the `actions` run in order.
 * One table below (AUTOMATION_FIELDS) says which operators each condition field takes; the server,
 * the console's form and the OpenAPI description all read it.
 */

/** Events a rule can start from: account events, and time-based ones fired by scheduled jobs. */
export const AUTOMATION_EVENTS = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'conversation.resolved',
  'conversation.reopened',
  'conversation.waiting_for_reply',
  'conversation.pending_for',
  'conversation.no_customer_reply',
  'sla.breached',
] as const;
export type AutomationEvent = (typeof AUTOMATION_EVENTS)[number];

/** Time-based events: each needs `delayMinutes`, and a durable job fires it (never a timer in memory). */
export const TIMED_AUTOMATION_EVENTS: readonly AutomationEvent[] = [
  'conversation.waiting_for_reply',
  'conversation.pending_for',
  'conversation.no_customer_reply',
];

export const AUTOMATION_EVENT_DOCS: Record<AutomationEvent, string> = {
  'message.created':
    'a message was stored in a conversation: a customer message, an outgoing reply or a private note ' +
    '(narrow it with the `message.direction` condition)',
  'conversation.created': 'a new conversation was opened (the first message of a customer)',
  'conversation.updated':
    'a conversation changed: status, assignee, team, priority, labels or its last activity',
  'conversation.resolved': 'a conversation was resolved (by an operator, the API or a rule)',
  'conversation.reopened': 'a resolved conversation became open, pending or snoozed again',
  'conversation.waiting_for_reply':
    'the customer wrote and nobody (operator, bot or rule) answered them for `delayMinutes`',
  'conversation.pending_for': 'the conversation has stayed in status `pending` for `delayMinutes`',
  'conversation.no_customer_reply':
    'the business wrote last and the customer has not answered for `delayMinutes` ' +
    '(e.g. 4320 = 3 days, with the action `set_status: resolved`)',
  'sla.breached':
    'an SLA target (first response, next response or resolution) of the conversation passed its due time unmet',
};

export const CONDITION_OPS = [
  'contains_any',
  'not_contains_any',
  'matches_regex',
  'is',
  'in',
  'not_in',
  'has_any',
  'has_all',
  'has_none',
  'eq',
  'neq',
  'contains',
  'is_set',
  'is_not_set',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export const CONDITION_OP_DOCS: Record<ConditionOp, string> = {
  contains_any:
    'the text has at least one of the words in `value` (string[]), in any Russian or English word form ' +
    '(the stemmer of full-text search: "возврат" finds "возврата", "refund" finds "refunded")',
  not_contains_any: 'the text has none of the words in `value` (string[]), word forms as for contains_any',
  matches_regex:
    '`value` is a JavaScript regular expression (up to 200 characters, case-insensitive, Unicode) tested ' +
    'on the first 10,000 characters of the text with a 50 ms time limit; a pattern that times out ' +
    'counts as not matching and is logged as an error of the execution',
  is: '`value` is one word from the fixed list of the field',
  in: 'the field is one of `value` (string[])',
  not_in: 'the field is none of `value` (string[]); an empty field is "none of"',
  has_any: 'the set has at least one of `value` (string[])',
  has_all: 'the set has every one of `value` (string[])',
  has_none: 'the set has none of `value` (string[])',
  eq: 'equals `value` (string, number or boolean; strings compare case-insensitively)',
  neq: 'does not equal `value` (a missing attribute does not equal anything)',
  contains: 'the text contains `value` (string) as a substring, case-insensitively',
  is_set: 'the field has a value (no `value` needed)',
  is_not_set: 'the field has no value (no `value` needed)',
};

interface FieldSpec {
  ops: readonly ConditionOp[];
  /** For `is`: the words it takes. */
  words?: readonly string[];
  /** For in/not_in: the words it takes (otherwise ids or free strings). */
  choices?: readonly string[];
  doc: string;
}

/** A field `contact.attributes.<key>` names one custom attribute of the contact. */
export const CONTACT_ATTRIBUTE_PREFIX = 'contact.attributes.';
/** A field `conversation.attributes.<key>` names one custom attribute of the conversation. */
export const CONVERSATION_ATTRIBUTE_PREFIX = 'conversation.attributes.';

export const AUTOMATION_FIELDS = {
  'message.text': {
    ops: ['contains_any', 'not_contains_any', 'matches_regex'],
    doc: 'text of the message that started the rule (`message.created` only; otherwise empty)',
  },
  'message.direction': {
    ops: ['is'],
    words: ['in', 'out', 'note'],
    doc: '`in` a customer message, `out` a message to the customer, `note` a private note',
  },
  'channel.id': { ops: ['in', 'not_in'], doc: 'the conversation’s channel (channel ids)' },
  'channel.type': {
    ops: ['in', 'not_in'],
    doc: 'the type of the conversation’s channel (telegram, whatsapp, sms, widget, api, …)',
  },
  'contact.labels': { ops: ['has_any', 'has_all', 'has_none'], doc: 'labels of the customer (contact)' },
  'contact.attributes.*': {
    ops: ['eq', 'neq', 'contains', 'is_set', 'is_not_set'],
    doc: 'one custom attribute of the contact: write the field as `contact.attributes.<key>`, e.g. `contact.attributes.plan`',
  },
  'conversation.attributes.*': {
    ops: ['eq', 'neq', 'contains', 'is_set', 'is_not_set'],
    doc: 'one custom attribute of the conversation (Administration › Attributes): write the field as `conversation.attributes.<key>`, e.g. `conversation.attributes.order_number`',
  },
  'contact.language': {
    ops: ['in', 'not_in', 'is_set', 'is_not_set'],
    doc:
      'the customer’s language if known: the contact attribute `language` (or `locale`), compared by its ' +
      'primary subtag, so `value: ["ru"]` matches "ru-RU"; `is_not_set` when unknown',
  },
  'conversation.status': {
    ops: ['in', 'not_in'],
    choices: CONVERSATION_STATUSES,
    doc: 'status: open, pending, snoozed, resolved',
  },
  'conversation.priority': {
    ops: ['in', 'not_in'],
    choices: PRIORITIES,
    doc: 'priority: none, low, medium, high, urgent',
  },
  'conversation.team': {
    ops: ['in', 'not_in', 'is_set', 'is_not_set'],
    doc: 'the conversation’s team (team ids)',
  },
  'conversation.assignee': {
    ops: ['in', 'not_in', 'is_set', 'is_not_set'],
    doc: 'the assigned operator (user ids)',
  },
  'conversation.labels': { ops: ['has_any', 'has_all', 'has_none'], doc: 'labels of the conversation' },
  business_hours: {
    ops: ['is'],
    words: ['open', 'closed'],
    doc:
      'whether the business is open right now by the schedule of the conversation’s channel (Routing › ' +
      'schedules); a channel without a schedule is always open',
  },
} as const satisfies Record<string, FieldSpec>;
export type AutomationField = keyof typeof AUTOMATION_FIELDS;

/** The spec of a condition field, `contact.attributes.<key>` included; undefined for an unknown field. */
export function fieldSpec(field: string): FieldSpec | undefined {
  if (field.startsWith(CONTACT_ATTRIBUTE_PREFIX) && field.length > CONTACT_ATTRIBUTE_PREFIX.length)
    return AUTOMATION_FIELDS['contact.attributes.*'];
  if (field.startsWith(CONVERSATION_ATTRIBUTE_PREFIX) && field.length > CONVERSATION_ATTRIBUTE_PREFIX.length)
    return AUTOMATION_FIELDS['conversation.attributes.*'];
  if (field === 'contact.attributes.*' || field === 'conversation.attributes.*') return undefined;
  return (AUTOMATION_FIELDS as Record<string, FieldSpec>)[field];
}

export const LIST_OPS: readonly ConditionOp[] = [
  'contains_any',
  'not_contains_any',
  'in',
  'not_in',
  'has_any',
  'has_all',
  'has_none',
];
export const VALUELESS_OPS: readonly ConditionOp[] = ['is_set', 'is_not_set'];

export const MAX_REGEX_LENGTH = 200;

const word = z.string().trim().min(1).max(200);

export const conditionSchema = z
  .object({
    field: z.string().min(1).max(200).describe('what is tested; see the field table in the description'),
    op: z.enum(CONDITION_OPS).describe('how it is tested; see the operator table in the description'),
    value: z
      .union([z.array(word).min(1).max(50), z.string().max(1000), z.number(), z.boolean()])
      .optional()
      .describe('string[] for list operators, a string for is/contains/matches_regex, any scalar for eq/neq'),
  })
  .superRefine((c, ctx) => {
    const spec = fieldSpec(c.field);
    if (!spec) {
      ctx.addIssue({ code: 'custom', path: ['field'], message: `unknown field "${c.field}"` });
      return;
    }
    if (!spec.ops.includes(c.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `"${c.op}" does not apply to ${c.field} (use ${spec.ops.join(', ')})`,
      });
      return;
    }
    const v = c.value;
    if (LIST_OPS.includes(c.op)) {
      if (!Array.isArray(v)) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} takes a list of strings` });
        return;
      }
      const bad = spec.choices ? v.filter((x) => !spec.choices!.includes(x)) : [];
      if (bad.length)
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `not a value of ${c.field}: ${bad.join(', ')} (use ${spec.choices!.join(', ')})`,
        });
    } else if (c.op === 'is') {
      if (typeof v !== 'string' || !spec.words?.includes(v))
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${c.field} is one of: ${spec.words?.join(', ')}`,
        });
    } else if (c.op === 'matches_regex') {
      if (typeof v !== 'string' || v.length === 0 || v.length > MAX_REGEX_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `a regular expression of 1 to ${MAX_REGEX_LENGTH} characters`,
        });
        return;
      }
      try {
        new RegExp(v, 'iu');
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `not a valid regular expression: ${(err as Error).message}`,
        });
      }
    } else if (c.op === 'contains') {
      if (typeof v !== 'string' || v.trim() === '')
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'contains takes a non-empty string' });
    } else if (c.op === 'eq' || c.op === 'neq') {
      if (v === undefined || Array.isArray(v))
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${c.op} takes a string, number or boolean`,
        });
    }
  });
export type AutomationCondition = z.infer<typeof conditionSchema>;

const minutes = z.number().int().min(1).max(525_600);
const label = z.string().trim().min(1).max(64);

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_label'), label }).describe('add a label to the conversation'),
  z.object({ type: z.literal('remove_label'), label }).describe('remove a label from the conversation'),
  z.object({ type: z.literal('set_priority'), priority: z.enum(PRIORITIES) }).describe('set the priority'),
  z
    .object({ type: z.literal('assign_team'), teamId: z.string().min(1).max(64) })
    .describe('move the conversation to a team'),
  z
    .object({ type: z.literal('assign_operator'), userId: z.string().min(1).max(64) })
    .describe('assign to an operator (an active member of the account)'),
  z
    .object({ type: z.literal('auto_assign') })
    .describe(
      'assign by the channel’s routing (round robin / least loaded, online operators with room); ' +
        'nothing happens on a channel with manual assignment or when nobody has room',
    ),
  z
    .object({ type: z.literal('set_status'), status: z.enum(['open', 'pending', 'resolved']) })
    .describe('change the status (resolve, reopen, set pending)'),
  z
    .object({ type: z.literal('snooze'), minutes })
    .describe('snooze until now + `minutes`; the conversation reopens by itself then'),
  z
    .object({ type: z.literal('send_message'), text: z.string().trim().min(1).max(4096) })
    .describe(
      'send a message to the customer through the same outbound path as an operator’s reply, so the ' +
        'messaging window and consent apply (a refused send is logged, not forced); `{{contact.name}}` ' +
        'and `{{channel.name}}` are filled in',
    ),
  z
    .object({
      type: z.literal('send_template'),
      template: z.object({
        name: z.string().min(1).max(512),
        language: z.string().min(2).max(15),
        bodyParameters: z.array(z.string().max(1024)).max(20).optional(),
      }),
    })
    .describe(
      'send a provider-approved template (WhatsApp); allowed outside the window where the provider allows it',
    ),
  z
    .object({ type: z.literal('add_note'), text: z.string().trim().min(1).max(4096) })
    .describe('add a private note for colleagues (never sent)'),
  z
    .object({ type: z.literal('send_webhook'), url: z.string().url().max(2048) })
    .describe(
      'POST the event and the conversation as JSON to `url` (through the SSRF guard), signed like ' +
        'outgoing webhooks: `X-Switchboard-Signature: sha256=<hex HMAC of "timestamp.body">` with the ' +
        'rule’s `webhookSecret`, `X-Switchboard-Timestamp`, `X-Switchboard-Delivery` (stable across ' +
        'retries), `X-Switchboard-Event`; retried with backoff on network errors, 5xx and 429',
    ),
  z
    .object({ type: z.literal('mute'), minutes })
    .describe('pause automation for this conversation: no rule runs on it until now + `minutes`'),
]);
export type AutomationAction = z.infer<typeof actionSchema>;
export type AutomationActionType = AutomationAction['type'];
export const AUTOMATION_ACTION_TYPES = actionSchema.options.map(
  (o) => o.shape.type.value,
) as AutomationActionType[];

export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    event: z.enum(AUTOMATION_EVENTS).describe('what starts the rule; see the event table'),
    match: z.enum(['all', 'any']).default('all').describe('"all": every condition holds; "any": one does'),
    conditions: z.array(conditionSchema).max(30).default([]).describe('none = always'),
    actions: z.array(actionSchema).min(1).max(20).describe('run in order'),
    delayMinutes: z
      .number()
      .int()
      .min(1)
      .max(525_600)
      .optional()
      .describe('time-based events only (required there): the N minutes of "waiting for N minutes"'),
    enabled: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    const timed = TIMED_AUTOMATION_EVENTS.includes(r.event);
    if (timed && r.delayMinutes === undefined)
      ctx.addIssue({ code: 'custom', path: ['delayMinutes'], message: `${r.event} needs delayMinutes` });
    if (!timed && r.delayMinutes !== undefined)
      ctx.addIssue({ code: 'custom', path: ['delayMinutes'], message: `${r.event} takes no delayMinutes` });
  });
export type AutomationRuleInput = z.input<typeof ruleInputSchema>;

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  event: z.enum(AUTOMATION_EVENTS),
  match: z.enum(['all', 'any']),
  conditions: z.array(conditionSchema),
  actions: z.array(actionSchema),
  delayMinutes: z.number().nullable(),
  enabled: z.boolean(),
  position: z.number().int().describe('evaluation order: lower first'),
  webhookSecret: z.string().describe('signs this rule’s send_webhook deliveries'),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AutomationRule = z.infer<typeof ruleSchema>;

/** `PUT /automation-rules/order`: rule ids in the order they run. */
export const ruleOrderBody = z.object({ ids: z.array(z.string().min(1).max(64)).max(1000) });

export const EXECUTION_OUTCOMES = ['applied', 'partial', 'failed', 'loop_blocked', 'rate_limited'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

export const actionResultSchema = z.object({
  type: z.string(),
  status: z.enum(['done', 'unchanged', 'refused', 'error']),
  detail: z.string().nullable(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

export const executionSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  conversationId: z.string().nullable(),
  event: z.string(),
  outcome: z
    .enum(EXECUTION_OUTCOMES)
    .describe(
      'applied: every action done (or already so); partial: some refused or failed; failed: the ' +
        'evaluation itself failed (see error); loop_blocked: started by this rule’s own actions (or a ' +
        'chain of rules too deep), not run; rate_limited: the conversation had too many rule runs recently',
    ),
  actions: z.array(actionResultSchema),
  error: z.string().nullable(),
  createdAt: z.number(),
});
export type AutomationExecution = z.infer<typeof executionSchema>;
