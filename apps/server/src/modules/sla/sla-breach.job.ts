import { z } from 'zod';
import { defineJob } from '../../worker/define-job.ts';
import { transact } from '../events/unit-of-work.ts';
import { refreshConversationSla } from './sla-writer.ts';

/**
 * Due when its target is: a durable job, never a timer in memory, so a restart or another node still
 * fires it. It decides the breach if nothing met the target in time (a late reply may have decided it
 * already) and emits `sla.breached` exactly once: the `breach_emitted` flag flips in the same
 * transaction as the event, guarded by its old value, so a replayed or doubled job finds it set.
 */
export const slaBreachJob = defineJob(
  'sla.breach',
  z.object({ accountId: z.string(), targetId: z.string() }),
  async (ctx, p) => {
    await transact(ctx, async (uow) => {
      const t = await uow.tx
        .selectFrom('sla_targets as t')
        .innerJoin('conversations as c', 'c.id', 't.conversation_id')
        .select([
          't.id',
          't.conversation_id',
          't.policy_id',
          't.metric',
          't.due_at',
          't.outcome',
          't.breach_emitted',
          'c.team_id',
          'c.assignee_id',
        ])
        .where('t.id', '=', p.targetId)
        .where('t.account_id', '=', p.accountId)
        .executeTakeFirst();
      if (!t || t.breach_emitted === 1 || t.outcome === 'met') return;
      // Early (a clock behind the queue's): come back once the due time has passed.
      if (ctx.clock.now() <= t.due_at) {
        await uow.enqueue(slaBreachJob.input(p, { accountId: p.accountId, runAt: t.due_at + 1 }));
        return;
      }
      const undecided = t.outcome === null;
      const res = await uow.tx
        .updateTable('sla_targets')
        .set({
          outcome: 'breached',
          breach_emitted: 1,
          ...(undecided ? { decided_at: t.due_at, team_id: t.team_id, user_id: t.assignee_id } : {}),
        })
        .where('id', '=', t.id)
        .where('breach_emitted', '=', 0)
        .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '=', 'breached')]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      if (undecided) await refreshConversationSla(uow.tx, t.conversation_id);
      uow.emit(
        p.accountId,
        'sla.breached',
        {
          conversationId: t.conversation_id,
          policyId: t.policy_id,
          metric: t.metric as 'first_response' | 'next_response' | 'resolution',
          dueAt: t.due_at,
        },
        t.team_id,
      );
    });
  },
);
