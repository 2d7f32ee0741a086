import { rebuildCsat } from './csat-rollup.ts';
import { SlaRebuild } from '../sla/sla-rebuild.ts';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { NewRow, Row } from '../../infra/db/schema.ts';
import {
  applyConversation,
  applyMessage,
  isHumanReply,
  type BusinessTime,
  type CountDelta,
  type CycleState,
  type Step,
} from './cycle-reducer.ts';
import { conversationHistory, statusChanges } from './history-facts.ts';
import { factOfEvent } from './report-facts.ts';
import { applyFact, businessTimeForChannel, rowOfCycle, rowOfSample, totalsOf } from './rollup-writer.ts';

const BATCH = 500;
const CHUNK = 500;

export interface RebuildResult {
  conversations: number;
  messages: number;
  cycles: number;
  samples: number;
}

/**
 * Replaces an account's rollups with ones recomputed from history through the same reducer the live
 * listener uses. One transaction: readers see the old figures until it commits. Meant for maintenance
 * (after an upgrade that changes a definition, a restore): live writes of the account wait for it.
 */
export async function rebuildReports(
  ctx: AppContext,
  accountId: string,
  progress: (done: number) => void = () => {},
): Promise<RebuildResult> {
  return ctx.db.kysely.transaction().execute(async (tx) => {
    // Serialises with the account's writers: every transaction that emits events updates this row.
    await tx
      .updateTable('accounts')
      .set((eb) => ({ event_seq: eb.ref('event_seq') }))
      .where('id', '=', accountId)
      .execute();
    for (const t of [
      'report_counts',
      'report_totals',
      'report_cycles',
      'report_samples',
      'report_presence',
    ] as const)
      await tx.deleteFrom(t).where('account_id', '=', accountId).execute();
    const sla = new SlaRebuild(ctx, tx, accountId);
    await sla.start();
    const changes = await statusChanges(tx, accountId);
    const counts = new Map<string, number>();
    const totals = new Map<string, number>();
    const bts = new Map<string, BusinessTime>();
    const result: RebuildResult = { conversations: 0, messages: 0, cycles: 0, samples: 0 };
    let after = '';
    for (;;) {
      const convs = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (!convs.length) break;
      after = convs.at(-1)!.id;
      const ids = convs.map((c) => c.id);
      const msgs = await tx
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const assigns = await tx
        .selectFrom('conversation_assignments')
        .selectAll()
        .where('conversation_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const byConv = group(msgs, (m) => m.conversation_id);
      const assignsByConv = group(assigns, (a) => a.conversation_id);
      const cycles: Row<'report_cycles'>[] = [];
      const samples: Row<'report_samples'>[] = [];
      for (const c of convs) {
        let bt = bts.get(c.channel_id);
        if (!bt) {
          bt = await businessTimeForChannel(tx, c.channel_id);
          bts.set(c.channel_id, bt);
        }
        const facts = conversationHistory(
          c,
          byConv.get(c.id) ?? [],
          assignsByConv.get(c.id) ?? [],
          changes.get(c.id) ?? [],
        );
        let cur: CycleState | null = null;
        const mine: CycleState[] = [];
        await sla.beginConversation(c);
        for (const f of facts) {
          if (f.kind === 'presence') continue;
          if (f.kind === 'conversation' && f.mergedInto) {
            // As live (rollup-writer.ts): a merged-away conversation's open cycle is no request of its own.
            if (cur && cur.resolvedAt === null) mine.pop();
            cur = null;
            continue;
          }
          const step: Step =
            f.kind === 'conversation' ? applyConversation(cur, f, bt) : applyMessage(cur!, f, bt);
          sla.step(step.cycle ?? cur, f.at, f.kind === 'message' && isHumanReply(f) ? f.authorId : null);
          if (step.opened && step.cycle) mine.push(step.cycle);
          else if (step.cycle && mine.length) mine[mine.length - 1] = step.cycle;
          cur = step.cycle;
          for (const s of step.samples) samples.push(rowOfSample(accountId, s));
          for (const d of step.counts) {
            counts.set(countKey(d), (counts.get(countKey(d)) ?? 0) + 1);
            for (const t of totalsOf(d)) {
              const key = `${t.dim}|${t.dimId}|${d.metric}|${d.bucket}`;
              totals.set(key, (totals.get(key) ?? 0) + 1);
            }
          }
        }
        cycles.push(...mine.map(rowOfCycle));
        await sla.endConversation();
      }
      await insertChunks(tx, 'report_cycles', cycles);
      await insertChunks(tx, 'report_samples', samples);
      result.conversations += convs.length;
      result.messages += msgs.length;
      result.cycles += cycles.length;
      result.samples += samples.length;
      progress(result.conversations);
    }
    const countRows = [...counts].map(([key, n]) => {
      const [bucket, metric, channel_id, team_id, user_id] = key.split('|') as [
        string,
        string,
        string,
        string,
        string,
      ];
      return { account_id: accountId, bucket: Number(bucket), metric, channel_id, team_id, user_id, n };
    });
    await insertChunks(tx, 'report_counts', countRows);
    const totalRows = [...totals].map(([key, n]) => {
      const [dim, dim_id, metric, bucket] = key.split('|') as [string, string, string, string];
      return { account_id: accountId, dim, dim_id, metric, bucket: Number(bucket), n };
    });
    await insertChunks(tx, 'report_totals', totalRows);
    await rebuildPresence(tx, accountId);
    await rebuildCsat(tx, accountId);
    // Planner statistics for tables that just changed wholesale (autovacuum would come later).
    for (const t of ['report_counts', 'report_totals', 'report_cycles', 'report_samples'])
      await sql`analyze ${sql.table(t)}`.execute(tx);
    return result;
  });
}

function countKey(d: CountDelta): string {
  return `${d.bucket}|${d.metric}|${d.channelId}|${d.teamId ?? ''}|${d.userId ?? ''}`;
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function insertChunks<T extends 'report_cycles' | 'report_samples' | 'report_counts' | 'report_totals'>(
  tx: Tx,
  table: T,
  rows: NewRow<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
}

/**
 * Presence history exists only in the retained event log; older changes are lost.
 */
async function rebuildPresence(tx: Tx, accountId: string): Promise<void> {
  const rows = await tx
    .selectFrom('account_events')
    .select(['type', 'payload', 'created_at'])
    .where('account_id', '=', accountId)
    .where('type', '=', 'presence.updated')
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    const f = factOfEvent({
      accountId,
      type: 'presence.updated',
      payload: JSON.parse(r.payload),
      createdAt: r.created_at,
    });
    if (f) await applyFact(tx, f);
  }
}
