import {
  AUTOMATION_EVENT_DOCS,
  AUTOMATION_FIELDS,
  CONDITION_OP_DOCS,
  actionSchema,
} from '@switchboard/shared';
import { RATE_LIMIT } from './rule-runner.ts';
import { MAX_CHAIN_DEPTH } from './automation-cause.ts';

const bullet = (name: string, text: string) => `- \`${name}\`: ${text}`;

/** The OpenAPI description of a rule: every event, condition field, operator and action type. */
export function ruleDocs(): string {
  const events = Object.entries(AUTOMATION_EVENT_DOCS).map(([k, v]) => bullet(k, v));
  const fields = Object.entries(AUTOMATION_FIELDS).map(([k, v]) =>
    bullet(
      k,
      `${v.doc}. Operators: ${v.ops.join(', ')}${'words' in v ? ` (values: ${v.words.join(', ')})` : ''}`,
    ),
  );
  const ops = Object.entries(CONDITION_OP_DOCS).map(([k, v]) => bullet(k, v));
  const actions = actionSchema.options.map((o) => {
    const fieldsOf = Object.keys(o.shape).filter((f) => f !== 'type');
    return bullet(
      o.shape.type.value,
      `${o.description ?? ''}${fieldsOf.length ? ` — fields: ${fieldsOf.join(', ')}` : ''}`,
    );
  });
  return [
    'A rule: `{name, event, match: "all"|"any", conditions: [{field, op, value}], actions: [{type, …}], delayMinutes?, enabled?}`.',
    'Rules of the same event run in `position` order, each in its own transaction with its log row ' +
      '(`GET /automation-rules/:id/executions`).',
    '',
    '**Events**',
    ...events,
    '',
    '**Condition fields**',
    ...fields,
    '',
    '**Operators**',
    ...ops,
    '',
    '**Actions**',
    ...actions,
    '',
    `**Loop guard**: a rule never runs on an event its own actions produced (directly or through other rules), ` +
      `and a chain of rules stops after ${MAX_CHAIN_DEPTH}; such runs are logged as \`loop_blocked\`. ` +
      `**Rate limit**: at most ${RATE_LIMIT.runs} rule runs per conversation in ${RATE_LIMIT.windowMs / 60_000} minutes ` +
      '(further ones are logged as `rate_limited`). An action `mute` pauses every rule for the conversation.',
  ].join('\n');
}
