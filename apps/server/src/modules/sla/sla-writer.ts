import type { ConversationSla, SlaMetric } from '@switchboard/shared';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { perTransaction } from '../../infra/db/per-transaction.ts';
import type { ListenerUnitOfWork } from '../events/event-listeners.ts';
import type { Schedule } from '../routing/schedules/schedule.ts';
import { scheduleFromRow } from '../routing/settings/routing-settings.ts';
import { loadCurrentCycle } from '../reports/rollup-writer.ts';
import { slaBreachJob } from './sla-breach.job.ts';
import { dueAfter } from './sla-clock.ts';
import { choosePolicy, listPolicies, secondsFor } from './sla-policy.store.ts';
import { applySlaStep, nearestTarget, type TargetState } from './sla-reducer.ts';
import { type BotHold, heldBack, targetKey, wantedTargets } from './sla-targets.ts';

export function targetOfRow(r: Row<'sla_targets'>): TargetState {
  return {
    id: r.id,
    policyId: r.policy_id,
    metric: r.metric as SlaMetric,
    cycle: r.cycle,
    startedAt: r.started_at,
    dueAt: r.due_at,
    endedAt: r.ended_at,
    outcome: r.outcome as TargetState['outcome'],
    decidedAt: r.decided_at,
    breachEmitted: r.breach_emitted === 1,
    channelId: r.channel_id,
    teamId: r.team_id,
    userId: r.user_id,
  };
}

export function rowOfTarget(accountId: string, conversationId: string, t: TargetState): Row<'sla_targets'> {
  return {
    id: t.id,
    account_id: accountId,
    conversation_id: conversationId,
    policy_id: t.policyId,
    metric: t.metric,
    cycle: t.cycle,
    started_at: t.startedAt,
    due_at: t.dueAt,
    ended_at: t.endedAt,
    outcome: t.outcome,
    decided_at: t.decidedAt,
    breach_emitted: t.breachEmitted ? 1 : 0,
    channel_id: t.channelId,
    team_id: t.teamId,
    user_id: t.userId,
  };
}

export async function scheduleOfChannel(tx: Tx, channelId: string): Promise<Schedule | null> {
  const row = await tx
    .selectFrom('channel_routing as r')
    .innerJoin('schedules as s', 's.id', 'r.schedule_id')
    .selectAll('s')
    .where('r.channel_id', '=', channelId)
    .executeTakeFirst();
  return row ? scheduleFromRow(row) : null;
}

/**
 * Moves a conversation's SLA targets after one fact, in the fact's transaction (after the report
 * rollups moved its cycle): the live half of the SLA reducer. Each new target gets its breach job,
 * due just after the target is (a reply at the due time itself is in time).
 */
export async function applySlaFact(
  uow: ListenerUnitOfWork,
  conversationId: string,
  at: number,
  replierId: string | null,
): Promise<boolean> {
  const { tx, enqueue } = uow;
  // The cycle and the targets move within this transaction (rollups, this function): read each time.
  const cycle = await loadCurrentCycle(tx, conversationId);
  const rows = await tx
    .selectFrom('sla_targets')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('cycle', '=', cycle?.seq ?? -1)]))
    .execute();
  if (!cycle && !rows.length) return false;
  const accountId = cycle?.accountId ?? rows[0]!.account_id;
  const targets = rows.map(targetOfRow);
  // Only a conversation that wants a clock can have one held back.
  // No listener writes a bot session or a conversation's status: once per transaction.
  const hold = wantedTargets(cycle).length
    ? await perTransaction(uow, `sla.botHold:${conversationId}`, () => botHoldOf(tx, conversationId))
    : null;
  // What `start` needs is read only when the cycle asks for a target it has not had.
  const prepared = new Map<string, { id: string; policyId: string; dueAt: number } | null>();
  const known = new Set(targets.map(targetKey));
  let scope: Awaited<ReturnType<typeof loadScope>> | undefined;
  for (const w of heldBack(wantedTargets(cycle), hold, at)) {
    if (known.has(targetKey(w))) continue;
    if (scope === undefined) scope = await loadScope(uow, accountId, conversationId);
    const policy = scope && choosePolicy(scope.policies, scope.conv);
    const seconds = policy ? secondsFor(policy, w.metric) : null;
    if (!scope || !policy || !seconds) continue;
    const channelId = scope.conv.channelId;
    const schedule = policy.businessHours
      ? await perTransaction(uow, `sla.schedule:${channelId}`, () => scheduleOfChannel(tx, channelId))
      : null;
    prepared.set(targetKey(w), {
      id: newId(at),
      policyId: policy.id,
      dueAt: dueAfter(schedule, w.startedAt, seconds * 1000),
    });
  }
  const step = applySlaStep({
    targets,
    cycle,
    at,
    replierId,
    hold,
    start: (w) => prepared.get(targetKey(w)) ?? null,
  });
  if (!step.changed.length && !step.started.length && !step.dropped.length) return false;
  for (const t of step.changed) {
    const { id, ...rest } = rowOfTarget(accountId, conversationId, t);
    await tx.updateTable('sla_targets').set(rest).where('id', '=', id).execute();
  }
  if (step.dropped.length) await tx.deleteFrom('sla_targets').where('id', 'in', step.dropped).execute();
  for (const t of step.started) {
    await tx
      .insertInto('sla_targets')
      .values(rowOfTarget(accountId, conversationId, t))
      .execute();
    await enqueue(slaBreachJob.input({ accountId, targetId: t.id }, { accountId, runAt: t.dueAt + 1 }));
  }
  await refreshConversationSla(tx, conversationId);
  return true;
}

/**
 * The conversation's bot session as an SLA hold. A session left open on a conversation no longer in
 * `bot` (its bot was removed mid-way) holds nothing: people have it.
 */
export async function botHoldOf(tx: Tx, conversationId: string): Promise<BotHold | null> {
  const s = await tx
    .selectFrom('bot_sessions as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .select(['s.ended_at', 'c.status'])
    .where('s.conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!s || (s.ended_at === null && s.status !== 'bot')) return null;
  return { until: s.ended_at };
}

async function loadScope(uow: ListenerUnitOfWork, accountId: string, conversationId: string) {
  const { tx } = uow;
  const policies = await perTransaction(uow, `sla.policies:${accountId}`, () => listPolicies(tx, accountId));
  if (!policies.some((p) => p.active)) return null;
  const c = await tx
    .selectFrom('conversations')
    .select(['channel_id', 'team_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!c) return null;
  const labels = await tx
    .selectFrom('conversation_labels')
    .select('label')
    .where('conversation_id', '=', conversationId)
    .execute();
  return {
    policies,
    conv: { channelId: c.channel_id, teamId: c.team_id, labels: labels.map((l) => l.label) },
  };
}

/** Copies the nearest running target onto the conversation row, where the inbox sorts and filters. */
export async function refreshConversationSla(tx: Tx, conversationId: string): Promise<void> {
  const running = await tx
    .selectFrom('sla_targets')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('ended_at', 'is', null)
    .execute();
  const t = nearestTarget(running.map(targetOfRow));
  await tx
    .updateTable('conversations')
    .set({
      sla_policy_id: t?.policyId ?? null,
      sla_metric: t?.metric ?? null,
      sla_due_at: t?.dueAt ?? null,
      sla_breached: t?.outcome === 'breached' ? 1 : 0,
    })
    .where('id', '=', conversationId)
    .execute();
}

export function slaOfRow(r: {
  sla_policy_id: string | null;
  sla_metric: string | null;
  sla_due_at: number | null;
  sla_breached: number;
}): ConversationSla {
  if (!r.sla_policy_id || !r.sla_metric || r.sla_due_at === null) return null;
  return {
    policyId: r.sla_policy_id,
    metric: r.sla_metric as SlaMetric,
    dueAt: r.sla_due_at,
    breached: r.sla_breached === 1,
  };
}
