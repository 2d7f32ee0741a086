import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { CycleState } from '../reports/cycle-reducer.ts';
import type { Schedule } from '../routing/schedules/schedule.ts';
import { slaBreachJob } from './sla-breach.job.ts';
import { dueAfter } from './sla-clock.ts';
import { choosePolicy, listPolicies, secondsFor } from './sla-policy.store.ts';
import { applySlaStep, nearestTarget, type TargetState } from './sla-reducer.ts';
import type { BotHold } from './sla-targets.ts';
import { botHoldOf, rowOfTarget, scheduleOfChannel } from './sla-writer.ts';

/**
 * The SLA half of `rebuild-reports`: the same reducer over each conversation's replayed facts, under
 * the policies as they are now. Breaches decided before now count as already announced (history is not
 * re-emitted); targets still running get a fresh breach job.
 */
export class SlaRebuild {
  private policies: Awaited<ReturnType<typeof listPolicies>> = [];
  private readonly schedules = new Map<string, Schedule | null>();
  private targets: TargetState[] = [];
  private labels: string[] = [];
  private conv: Row<'conversations'> | null = null;
  private hold: BotHold | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly tx: Tx,
    private readonly accountId: string,
  ) {}

  async start(): Promise<void> {
    await this.tx.deleteFrom('sla_targets').where('account_id', '=', this.accountId).execute();
    this.policies = await listPolicies(this.tx, this.accountId);
  }

  async beginConversation(c: Row<'conversations'>): Promise<void> {
    this.conv = c;
    this.targets = [];
    this.hold = this.policies.length ? await botHoldOf(this.tx, c.id) : null;
    this.labels = this.policies.some((p) => p.appliesTo.labels?.length)
      ? (
          await this.tx
            .selectFrom('conversation_labels')
            .select('label')
            .where('conversation_id', '=', c.id)
            .execute()
        ).map((l) => l.label)
      : [];
    if (!this.schedules.has(c.channel_id))
      this.schedules.set(c.channel_id, await scheduleOfChannel(this.tx, c.channel_id));
  }

  step(cycle: CycleState | null, at: number, replierId: string | null): void {
    const c = this.conv!;
    const policy = choosePolicy(this.policies, {
      channelId: c.channel_id,
      teamId: c.team_id,
      labels: this.labels,
    });
    const s = applySlaStep({
      targets: this.targets,
      cycle,
      at,
      replierId,
      hold: this.hold,
      start: (w) => {
        const seconds = policy ? secondsFor(policy, w.metric) : null;
        if (!policy || !seconds) return null;
        const schedule = policy.businessHours ? (this.schedules.get(c.channel_id) ?? null) : null;
        return { id: newId(at), policyId: policy.id, dueAt: dueAfter(schedule, w.startedAt, seconds * 1000) };
      },
    });
    const byId = new Map(this.targets.map((t) => [t.id, t]));
    for (const t of s.changed) byId.set(t.id, t);
    for (const id of s.dropped) byId.delete(id);
    for (const t of s.started) byId.set(t.id, t);
    this.targets = [...byId.values()];
  }

  async endConversation(): Promise<void> {
    const c = this.conv!;
    const now = this.ctx.clock.now();
    for (const t of this.targets) {
      if (t.endedAt === null && t.outcome === null && now > t.dueAt) {
        t.outcome = 'breached';
        t.decidedAt = t.dueAt;
      }
      t.breachEmitted = t.outcome === 'breached';
    }
    if (this.targets.length)
      await this.tx
        .insertInto('sla_targets')
        .values(this.targets.map((t) => rowOfTarget(this.accountId, c.id, t)))
        .execute();
    for (const t of this.targets)
      if (t.endedAt === null && t.outcome === null)
        await this.ctx.queue.enqueue(
          this.tx,
          slaBreachJob.input(
            { accountId: this.accountId, targetId: t.id },
            { accountId: this.accountId, runAt: t.dueAt + 1 },
          ),
        );
    const n = nearestTarget(this.targets);
    if (n || c.sla_policy_id)
      await this.tx
        .updateTable('conversations')
        .set({
          sla_policy_id: n?.policyId ?? null,
          sla_metric: n?.metric ?? null,
          sla_due_at: n?.dueAt ?? null,
          sla_breached: n?.outcome === 'breached' ? 1 : 0,
        })
        .where('id', '=', c.id)
        .execute();
  }
}
