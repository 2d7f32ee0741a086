import type {
  ActionResult,
  AutomationAction,
  AutomationCondition,
  AutomationEvent,
  AutomationExecution,
  AutomationRule,
  ExecutionOutcome,
} from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';

/** A stored rule as the server uses it (JSON columns parsed once). */
export interface StoredRule extends AutomationRule {
  accountId: string;
}

export function toRule(r: Row<'automation_rules'>): StoredRule {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    event: r.event as AutomationEvent,
    match: r.match === 'any' ? 'any' : 'all',
    conditions: JSON.parse(r.conditions) as AutomationCondition[],
    actions: JSON.parse(r.actions) as AutomationAction[],
    delayMinutes: r.delay_minutes,
    enabled: r.enabled === 1,
    position: r.position,
    webhookSecret: r.webhook_secret,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toDto(r: StoredRule): AutomationRule {
  const { accountId: _omit, ...dto } = r;
  return dto;
}

export async function listRules(k: Tx, accountId: string): Promise<StoredRule[]> {
  const rows = await k
    .selectFrom('automation_rules')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toRule);
}

export async function findRule(k: Tx, accountId: string, id: string): Promise<StoredRule | undefined> {
  const row = await k
    .selectFrom('automation_rules')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRule(row) : undefined;
}

/** Enabled rules of one event in evaluation order. */
export async function enabledRules(k: Tx, accountId: string, events: string[]): Promise<StoredRule[]> {
  if (events.length === 0) return [];
  const rows = await k
    .selectFrom('automation_rules')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('event', 'in', events)
    .where('enabled', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toRule);
}

export function toExecution(r: Row<'automation_executions'>): AutomationExecution {
  return {
    id: r.id,
    ruleId: r.rule_id,
    conversationId: r.conversation_id,
    event: r.event,
    outcome: r.outcome as ExecutionOutcome,
    actions: JSON.parse(r.actions) as ActionResult[],
    error: r.error,
    createdAt: r.created_at,
  };
}
