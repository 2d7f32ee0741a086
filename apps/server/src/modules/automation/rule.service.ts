import { type AutomationRuleInput, ruleInputSchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';

type RuleInput = z.output<typeof ruleInputSchema>;

/** Ids a rule names (teams, operators, channels) must belong to the account: a 400 otherwise. */
async function checkReferences(tx: Tx, accountId: string, r: RuleInput): Promise<void> {
  const problems: string[] = [];
  const exists = async (table: 'teams' | 'channels', id: string) =>
    (await tx
      .selectFrom(table)
      .select('id')
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst()) !== undefined;
  for (const [i, a] of r.actions.entries()) {
    if (a.type === 'assign_team' && !(await exists('teams', a.teamId)))
      problems.push(`actions[${i}].teamId: no such team in this account`);
    if (a.type === 'assign_operator') {
      const m = await tx
        .selectFrom('memberships')
        .select('active')
        .where('account_id', '=', accountId)
        .where('user_id', '=', a.userId)
        .executeTakeFirst();
      if (m?.active !== 1) problems.push(`actions[${i}].userId: no active user with this id in the account`);
    }
  }
  for (const [i, c] of r.conditions.entries()) {
    if ((c.field === 'channel.id' || c.field === 'conversation.team') && Array.isArray(c.value)) {
      for (const id of c.value)
        if (!(await exists(c.field === 'channel.id' ? 'channels' : 'teams', id)))
          problems.push(
            `conditions[${i}].value: no ${c.field === 'channel.id' ? 'channel' : 'team'} ${id} in this account`,
          );
    }
  }
  if (problems.length) throw new DomainError('validation_error', problems.join('; '), { problems });
}

function columns(r: RuleInput) {
  return {
    name: r.name,
    event: r.event,
    match: r.match,
    conditions: JSON.stringify(r.conditions),
    actions: JSON.stringify(r.actions),
    delay_minutes: r.delayMinutes ?? null,
    enabled: r.enabled ? 1 : 0,
  };
}

export async function createRule(ctx: AppContext, p: Principal, input: AutomationRuleInput): Promise<string> {
  const r = ruleInputSchema.parse(input);
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await checkReferences(tx, p.accountId, r);
    const last = await tx
      .selectFrom('automation_rules')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    await tx
      .insertInto('automation_rules')
      .values({
        id,
        account_id: p.accountId,
        ...columns(r),
        position: Number(last?.max ?? 0) + 1,
        webhook_secret: randomToken(32),
        created_by: p.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(ctx, tx, p, {
      action: 'automation_rule.created',
      targetType: 'automation_rule',
      targetId: id,
      details: { name: r.name },
    });
  });
  return id;
}

export async function updateRule(
  ctx: AppContext,
  p: Principal,
  id: string,
  input: AutomationRuleInput,
): Promise<void> {
  const r = ruleInputSchema.parse(input);
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await checkReferences(tx, p.accountId, r);
    await tx
      .updateTable('automation_rules')
      .set({ ...columns(r), updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .execute();
    await audit(ctx, tx, p, {
      action: 'automation_rule.updated',
      targetType: 'automation_rule',
      targetId: id,
      details: { name: r.name },
    });
  });
}

export async function setEnabled(ctx: AppContext, p: Principal, id: string, enabled: boolean): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('automation_rules')
      .set({ enabled: enabled ? 1 : 0, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .execute();
    await audit(ctx, tx, p, {
      action: enabled ? 'automation_rule.enabled' : 'automation_rule.disabled',
      targetType: 'automation_rule',
      targetId: id,
    });
  });
}

export async function deleteRule(ctx: AppContext, p: Principal, id: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    // Pending timer jobs of the rule find no anchor and no rule, and do nothing.
    await tx.deleteFrom('automation_timers').where('rule_id', '=', id).execute();
    await tx.deleteFrom('automation_executions').where('rule_id', '=', id).execute();
    await tx
      .deleteFrom('automation_rules')
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .execute();
    await audit(ctx, tx, p, {
      action: 'automation_rule.deleted',
      targetType: 'automation_rule',
      targetId: id,
    });
  });
}

/** The new order must name every rule of the account exactly once. */
export async function reorderRules(ctx: AppContext, p: Principal, ids: string[]): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('automation_rules')
      .select('id')
      .where('account_id', '=', p.accountId)
      .execute();
    const all = new Set(existing.map((r) => r.id));
    const given = new Set(ids);
    if (given.size !== ids.length || given.size !== all.size || ids.some((id) => !all.has(id)))
      throw new DomainError(
        'validation_error',
        'ids: list every automation rule of the account exactly once',
      );
    for (const [i, id] of ids.entries())
      await tx
        .updateTable('automation_rules')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute();
    await audit(ctx, tx, p, {
      action: 'automation_rule.reordered',
      targetType: 'automation_rule',
      details: { ids },
    });
  });
}
