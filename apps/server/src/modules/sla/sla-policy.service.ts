import type { SlaAppliesTo } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { refreshConversationSla } from './sla-writer.ts';

export interface PolicyFields {
  name?: string;
  firstResponseSeconds?: number | null;
  nextResponseSeconds?: number | null;
  resolutionSeconds?: number | null;
  businessHours?: boolean;
  appliesTo?: SlaAppliesTo;
  active?: boolean;
  position?: number;
}

/** The channels and teams a policy names must be the account's own (another account's id is no match). */
async function checkScope(tx: Tx, accountId: string, a: SlaAppliesTo | undefined): Promise<void> {
  if (a?.channelIds?.length) {
    const found = await tx
      .selectFrom('channels')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', a.channelIds)
      .execute();
    if (found.length !== new Set(a.channelIds).size)
      throw new DomainError('validation_error', 'appliesTo.channelIds: no such channel in this account');
  }
  if (a?.teamIds?.length) {
    const found = await tx
      .selectFrom('teams')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', a.teamIds)
      .execute();
    if (found.length !== new Set(a.teamIds).size)
      throw new DomainError('validation_error', 'appliesTo.teamIds: no such team in this account');
  }
}

function columnsOf(f: PolicyFields): RowUpdate<'sla_policies'> {
  const out: RowUpdate<'sla_policies'> = {};
  if (f.name !== undefined) out.name = f.name;
  if (f.firstResponseSeconds !== undefined) out.first_response_seconds = f.firstResponseSeconds;
  if (f.nextResponseSeconds !== undefined) out.next_response_seconds = f.nextResponseSeconds;
  if (f.resolutionSeconds !== undefined) out.resolution_seconds = f.resolutionSeconds;
  if (f.businessHours !== undefined) out.business_hours = f.businessHours ? 1 : 0;
  if (f.appliesTo !== undefined) out.applies_to = JSON.stringify(f.appliesTo);
  if (f.active !== undefined) out.active = f.active ? 1 : 0;
  if (f.position !== undefined) out.position = f.position;
  return out;
}

export async function createPolicy(ctx: AppContext, p: Principal, f: PolicyFields): Promise<string> {
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await checkScope(tx, p.accountId, f.appliesTo);
    const last = await tx
      .selectFrom('sla_policies')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    // An explicit position goes before the policy that held it.
    if (f.position !== undefined)
      await tx
        .updateTable('sla_policies')
        .set((eb) => ({ position: eb('position', '+', 1) }))
        .where('account_id', '=', p.accountId)
        .where('position', '>=', f.position)
        .execute();
    await tx
      .insertInto('sla_policies')
      .values({
        id,
        account_id: p.accountId,
        name: f.name ?? '',
        position: f.position ?? (last?.max == null ? 0 : Number(last.max) + 1),
        first_response_seconds: f.firstResponseSeconds ?? null,
        next_response_seconds: f.nextResponseSeconds ?? null,
        resolution_seconds: f.resolutionSeconds ?? null,
        business_hours: f.businessHours ? 1 : 0,
        applies_to: JSON.stringify(f.appliesTo ?? {}),
        active: f.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(ctx, tx, p, {
      action: 'sla_policy.created',
      targetType: 'sla_policy',
      targetId: id,
      details: { name: f.name },
    });
  });
  return id;
}

/**
 * A change applies to targets that start from now on; running targets keep the due time they were
 * given (a conversation's promise does not move under it).
 */
export async function updatePolicy(
  ctx: AppContext,
  p: Principal,
  id: string,
  f: PolicyFields,
): Promise<boolean> {
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const cur = await tx
      .selectFrom('sla_policies')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    if (!cur) return false;
    const next = {
      first: f.firstResponseSeconds === undefined ? cur.first_response_seconds : f.firstResponseSeconds,
      next: f.nextResponseSeconds === undefined ? cur.next_response_seconds : f.nextResponseSeconds,
      res: f.resolutionSeconds === undefined ? cur.resolution_seconds : f.resolutionSeconds,
    };
    if (!next.first && !next.next && !next.res)
      throw new DomainError(
        'validation_error',
        'set at least one of firstResponseSeconds, nextResponseSeconds, resolutionSeconds',
      );
    await checkScope(tx, p.accountId, f.appliesTo);
    await tx
      .updateTable('sla_policies')
      .set({ ...columnsOf(f), updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .execute();
    await audit(ctx, tx, p, { action: 'sla_policy.updated', targetType: 'sla_policy', targetId: id });
    return true;
  });
}

/** Its running targets stop (not measured); the targets it already decided stay in the reports. */
export async function deletePolicy(ctx: AppContext, p: Principal, id: string): Promise<boolean> {
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const res = await tx
      .deleteFrom('sla_policies')
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) return false;
    const running = await tx
      .selectFrom('sla_targets')
      .select('conversation_id')
      .distinct()
      .where('policy_id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
    await tx
      .deleteFrom('sla_targets')
      .where('policy_id', '=', id)
      .where('ended_at', 'is', null)
      .where('outcome', 'is', null)
      .execute();
    await tx
      .updateTable('sla_targets')
      .set({ ended_at: ctx.clock.now() })
      .where('policy_id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
    for (const r of running) await refreshConversationSla(tx, r.conversation_id);
    await audit(ctx, tx, p, { action: 'sla_policy.deleted', targetType: 'sla_policy', targetId: id });
    return true;
  });
}
