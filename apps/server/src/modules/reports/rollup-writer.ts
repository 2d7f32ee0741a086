import { PostgresAdapter } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { scheduleFromRow } from '../routing/settings/routing-settings.ts';
import { businessTimeOf, calendarTime } from './business-time.ts';
import {
  applyConversation,
  applyMessage,
  type BusinessTime,
  type CountDelta,
  type CycleState,
  type SampleOut,
  type Step,
} from './cycle-reducer.ts';
import type { ConversationFact, PresenceFact, ReportFact } from './report-facts.ts';

/**
 * Applies one fact to the rollups inside the caller's transaction: loads the conversation's current
 * cycle, runs the reducer, writes the changed cycle, the count increments and the samples.
 */
export async function applyFact(
  tx: Tx,
  fact: ReportFact,
  businessTime: (channelId: string) => Promise<BusinessTime> = (id) => businessTimeForChannel(tx, id),
): Promise<void> {
  if (fact.kind === 'presence') return applyPresence(tx, fact);
  if (fact.kind === 'conversation' && fact.mergedInto) {
    // Merged away: the customer's request goes on in the kept conversation, so its open cycle is no
    // request of its own (not counted as created or resolved); closed cycles stay as the work they were.
    await tx
      .deleteFrom('report_cycles')
      .where('conversation_id', '=', fact.conversationId)
      .where('resolved_at', 'is', null)
      .execute();
    return;
  }
  let cur = await loadCurrentCycle(tx, fact.conversationId);
  const bt = await businessTime(fact.channelId);
  if (!cur && fact.kind === 'message') {
    // A conversation older than the rollups (or a message whose conversation event was not seen):
    // open its cycle from the conversation row first.
    const seed = await conversationFactFromRow(tx, fact.conversationId);
    if (!seed) return;
    const step = applyConversation(null, seed, bt);
    await writeStep(tx, null, step);
    cur = step.cycle;
  }
  const step = fact.kind === 'conversation' ? applyConversation(cur, fact, bt) : applyMessage(cur!, fact, bt);
  await writeStep(tx, cur, step);
}

export async function loadCurrentCycle(tx: Tx, conversationId: string): Promise<CycleState | null> {
  const r = await tx
    .selectFrom('report_cycles')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? cycleOfRow(r) : null;
}

async function conversationFactFromRow(tx: Tx, id: string): Promise<ConversationFact | null> {
  const c = await tx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) return null;
  return {
    kind: 'conversation',
    at: c.created_at,
    accountId: c.account_id,
    conversationId: c.id,
    channelId: c.channel_id,
    teamId: c.team_id,
    assigneeId: c.assignee_id,
    // Its status now says nothing about when it was resolved: the cycle starts open.
    status: 'open',
    createdAt: c.created_at,
  };
}

export async function businessTimeForChannel(tx: Tx, channelId: string): Promise<BusinessTime> {
  const row = await tx
    .selectFrom('channel_routing as r')
    .innerJoin('schedules as s', 's.id', 'r.schedule_id')
    .selectAll('s')
    .where('r.channel_id', '=', channelId)
    .executeTakeFirst();
  return row ? businessTimeOf(scheduleFromRow(row)) : calendarTime;
}

export function cycleOfRow(r: Row<'report_cycles'>): CycleState {
  return {
    conversationId: r.conversation_id,
    accountId: r.account_id,
    seq: r.seq,
    channelId: r.channel_id,
    teamId: r.team_id,
    userId: r.user_id,
    openedAt: r.opened_at,
    firstCustomerAt: r.first_customer_at,
    firstResponseAt: r.first_response_at,
    firstResponderId: r.first_responder_id,
    awaitingSince: r.awaiting_since,
    waitingMs: r.waiting_ms,
    waitingBusinessMs: r.waiting_business_ms,
    resolvedAt: r.resolved_at,
  };
}

export function rowOfCycle(c: CycleState): Row<'report_cycles'> {
  return {
    conversation_id: c.conversationId,
    seq: c.seq,
    account_id: c.accountId,
    channel_id: c.channelId,
    team_id: c.teamId,
    user_id: c.userId,
    opened_at: c.openedAt,
    first_customer_at: c.firstCustomerAt,
    first_response_at: c.firstResponseAt,
    first_responder_id: c.firstResponderId,
    awaiting_since: c.awaitingSince,
    waiting_ms: c.waitingMs,
    waiting_business_ms: c.waitingBusinessMs,
    resolved_at: c.resolvedAt,
  };
}

export function rowOfSample(accountId: string, s: SampleOut): Row<'report_samples'> {
  return {
    id: newId(s.at),
    account_id: accountId,
    kind: s.kind,
    at: s.at,
    conversation_id: s.conversationId,
    channel_id: s.channelId,
    team_id: s.teamId,
    user_id: s.userId,
    ms: s.ms,
    business_ms: s.businessMs,
  };
}

async function writeStep(tx: Tx, before: CycleState | null, step: Step): Promise<void> {
  const c = step.cycle;
  if (c && step.opened) await tx.insertInto('report_cycles').values(rowOfCycle(c)).execute();
  else if (c && c !== before) {
    const { conversation_id, seq, ...rest } = rowOfCycle(c);
    await tx
      .updateTable('report_cycles')
      .set(rest)
      .where('conversation_id', '=', conversation_id)
      .where('seq', '=', seq)
      .execute();
  }
  const accountId = c?.accountId ?? before?.accountId;
  if (!accountId) return;
  if (step.samples.length)
    await tx
      .insertInto('report_samples')
      .values(step.samples.map((s) => rowOfSample(accountId, s)))
      .execute();
  for (const d of step.counts) await addCount(tx, accountId, d, 1);
}

/** The one-dimension totals a count feeds: the account, its channel, its team, its operator. */
export function totalsOf(d: CountDelta): Array<{ dim: string; dimId: string }> {
  const out = [
    { dim: 'all', dimId: '' },
    { dim: 'channel', dimId: d.channelId },
  ];
  if (d.teamId) out.push({ dim: 'team', dimId: d.teamId });
  if (d.userId) out.push({ dim: 'user', dimId: d.userId });
  return out;
}

/** Counter rows per key on PostgreSQL: how many of one account's transactions can count at once. */
const COUNTER_SHARDS = 8;
const shards = new WeakMap<Tx, number | null>();

/**
 * The counter shard of this transaction: one per transaction (so two transactions never take the same
 * rows in different orders), picked at random on PostgreSQL, where each counter row stays locked until
 * its transaction's commit is flushed; none on SQLite, which has one writer at a time anyway.
 */
function shardOf(tx: Tx): number | null {
  let s = shards.get(tx);
  if (s === undefined) {
    s =
      tx.getExecutor().adapter instanceof PostgresAdapter ? Math.floor(Math.random() * COUNTER_SHARDS) : null;
    shards.set(tx, s);
  }
  return s;
}

export async function addCount(tx: Tx, accountId: string, d: CountDelta, n: number): Promise<void> {
  const shard = shardOf(tx);
  const sharded = shard === null ? {} : { shard };
  await tx
    .insertInto('report_counts')
    .values({
      account_id: accountId,
      bucket: d.bucket,
      metric: d.metric,
      channel_id: d.channelId,
      team_id: d.teamId ?? '',
      user_id: d.userId ?? '',
      ...sharded,
      n,
    })
    .onConflict((oc) =>
      oc
        .columns([
          'account_id',
          'bucket',
          'metric',
          'channel_id',
          'team_id',
          'user_id',
          ...(shard === null ? [] : (['shard'] as const)),
        ])
        .doUpdateSet((eb) => ({ n: eb('report_counts.n', '+', eb.ref('excluded.n')) })),
    )
    .execute();
  await tx
    .insertInto('report_totals')
    .values(
      totalsOf(d).map((t) => ({
        account_id: accountId,
        dim: t.dim,
        dim_id: t.dimId,
        metric: d.metric,
        bucket: d.bucket,
        ...sharded,
        n,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns([
          'account_id',
          'dim',
          'dim_id',
          'metric',
          'bucket',
          ...(shard === null ? [] : (['shard'] as const)),
        ])
        .doUpdateSet((eb) => ({ n: eb('report_totals.n', '+', eb.ref('excluded.n')) })),
    )
    .execute();
}

/** Closes the operator's open availability interval and opens the new one (same state: nothing). */
async function applyPresence(tx: Tx, f: PresenceFact): Promise<void> {
  const open = await tx
    .selectFrom('report_presence')
    .selectAll()
    .where('account_id', '=', f.accountId)
    .where('user_id', '=', f.userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (open?.availability === f.availability) return;
  if (open) {
    await tx
      .updateTable('report_presence')
      .set({ ended_at: Math.max(f.at, open.started_at) })
      .where('account_id', '=', f.accountId)
      .where('user_id', '=', f.userId)
      .where('started_at', '=', open.started_at)
      .execute();
  }
  if (open?.started_at === f.at) {
    // Two changes in one millisecond: the later one replaces the earlier.
    await tx
      .updateTable('report_presence')
      .set({ availability: f.availability, ended_at: null })
      .where('account_id', '=', f.accountId)
      .where('user_id', '=', f.userId)
      .where('started_at', '=', f.at)
      .execute();
    return;
  }
  await tx
    .insertInto('report_presence')
    .values({
      account_id: f.accountId,
      user_id: f.userId,
      started_at: f.at,
      availability: f.availability,
      ended_at: null,
    })
    .execute();
}
