import { sql } from 'kysely';
import type { AppContext } from '../../../app-context.ts';
import { transact } from '../../events/unit-of-work.ts';
import { ROUTING_JOBS } from '../routing-job-types.ts';
import { type ChannelRouting, loadChannelRoutingById } from '../settings/routing-settings.ts';
import { autoAssign } from './assignment.service.ts';

/** How many queued conversations one drain job tries before handing the rest to a follow-up job. */
const DRAIN_BATCH = 200;

const priorityRank = sql<number>`case c.priority when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end`;

/**
 * Assigns waiting conversations of automatically assigning channels, highest priority then oldest
 * first, one transaction each. Stops early once nobody in the account has room.
 */
export async function drainQueue(ctx: AppContext, accountId: string): Promise<number> {
  const k = ctx.db.kysely;
  const queued = await k
    .selectFrom('conversations as c')
    .innerJoin('channel_routing as r', 'r.channel_id', 'c.channel_id')
    .select('c.id')
    .where('c.account_id', '=', accountId)
    .where('c.assignee_id', 'is', null)
    .where('c.status', '=', 'open')
    .where('r.assignment_mode', '!=', 'manual')
    .orderBy(priorityRank, 'desc')
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(DRAIN_BATCH)
    .execute();
  let assigned = 0;
  for (const { id } of queued) {
    const who = await transact(ctx, (uow) => autoAssign(ctx, uow, id, { reason: 'queue' }));
    if (who) assigned++;
    else if (!(await anyoneHasRoom(ctx, accountId))) break;
  }
  if (queued.length === DRAIN_BATCH && assigned > 0) {
    await transact(ctx, (uow) =>
      uow.enqueue({ type: ROUTING_JOBS.drain, payload: { accountId }, accountId }),
    );
  }
  return assigned;
}

async function anyoneHasRoom(ctx: AppContext, accountId: string): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('memberships as m')
    .select('m.user_id')
    .where('m.account_id', '=', accountId)
    .where('m.active', '=', 1)
    .where('m.availability', '=', 'online')
    .where(
      (eb) =>
        eb
          .selectFrom('conversations as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.assignee_id', '=', 'm.user_id')
          .where('c.account_id', '=', accountId)
          .where('c.status', '=', 'open'),
      '<',
      (eb) => eb.ref('m.capacity'),
    )
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Hands an offline operator's open conversations to colleagues, or back to the queue. */
export async function reassignFromOffline(ctx: AppContext, accountId: string, userId: string): Promise<void> {
  const k = ctx.db.kysely;
  const m = await k
    .selectFrom('memberships')
    .select(['availability', 'active'])
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  // Back online before the job ran: nothing to hand over.
  if (!m || (m.active === 1 && m.availability !== 'offline')) return;
  const convs = await k
    .selectFrom('conversations as c')
    .innerJoin('channel_routing as r', 'r.channel_id', 'c.channel_id')
    .select(['c.id', 'c.channel_id'])
    .where('c.account_id', '=', accountId)
    .where('c.assignee_id', '=', userId)
    .where('c.status', '=', 'open')
    .where('r.assignment_mode', '!=', 'manual')
    .orderBy('c.created_at')
    .execute();
  const routings = new Map<string, ChannelRouting>();
  for (const c of convs) {
    let r = routings.get(c.channel_id);
    if (!r) {
      r = await loadChannelRoutingById(k, c.channel_id);
      routings.set(c.channel_id, r);
    }
    if (!r.settings.assignment.reassignOnOffline) continue;
    await transact(ctx, (uow) =>
      autoAssign(ctx, uow, c.id, {
        reason: 'offline',
        expectAssignee: userId,
        exclude: [userId],
        unassignIfNobody: true,
      }),
    );
  }
}
