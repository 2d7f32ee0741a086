import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { EnqueueInput } from '../../infra/queue/job-queue.port.ts';
import type { ProviderEvent } from '../channels/channel-adapter.ts';
import { transact } from '../events/unit-of-work.ts';
import { GroupCommit } from './group-commit.ts';
import { INBOUND_JOB } from './process-inbound.job.ts';

export type IngestChannel = Pick<Row<'channels'>, 'id' | 'account_id'>;

export interface IngestRequest {
  channel: IngestChannel;
  events: ProviderEvent[];
}

/**
 * Commits provider events with their `inbound.process` jobs (unique per channel and provider event id: a
 * retried event is skipped). Callers acknowledge the provider only after this resolves. Returns how many
 * events were new. Without `alongside`, concurrent callers share one transaction (group commit, see
 * ingest-batcher.ts); each still resolves only after that transaction committed.
 */
export async function storeProviderEvents(
  ctx: AppContext,
  channel: IngestChannel,
  events: ProviderEvent[],
  /** More writes that must commit with the events (the widget marks the visitor's files used). */
  alongside?: (tx: Tx) => Promise<void>,
): Promise<number> {
  if (events.length === 0) return 0;
  if (!alongside) return batcherOf(ctx).submit({ channel, events });
  const [stored] = await storeRequests(ctx, [{ channel, events }], alongside);
  return stored!;
}

const batchers = new WeakMap<AppContext, GroupCommit<IngestRequest, number>>();

/** The node's ingest group commit (one per app context: tests run several apps in one process). */
export function batcherOf(ctx: AppContext): GroupCommit<IngestRequest, number> {
  let b = batchers.get(ctx);
  if (!b) {
    b = new GroupCommit<IngestRequest, number>(
      (batch) => storeRequests(ctx, batch),
      ctx.config.ingestBatchMax,
      (err, size) =>
        ctx.log.warn({ err, size }, 'a shared ingest transaction failed; committing its requests one by one'),
    );
    batchers.set(ctx, b);
  }
  return b;
}

/**
 * One transaction for all the requests: their events in one multi-row insert, then the jobs of the new
 * ones in one insert, in request order (so per-conversation order keys keep the order of arrival).
 * Returns the number of new events per request.
 */
export async function storeRequests(
  ctx: AppContext,
  requests: IngestRequest[],
  alongside?: (tx: Tx) => Promise<void>,
): Promise<number[]> {
  const now = ctx.clock.now();
  const rows = requests.flatMap((r, request) =>
    r.events.map((ev) => ({
      request,
      ev,
      channel: r.channel,
      row: {
        id: newId(now),
        account_id: r.channel.account_id,
        channel_id: r.channel.id,
        provider_event_id: ev.providerEventId,
        payload: JSON.stringify(ev.payload),
        received_at: now,
        processed_at: null,
      },
    })),
  );
  return transact(ctx, async (uow) => {
    await alongside?.(uow.tx);
    const inserted = new Set<string>();
    // 7 columns a row: 500 rows stay far below both dialects' bound-parameter limits.
    for (let i = 0; i < rows.length; i += 500) {
      const ins = await uow.tx
        .insertInto('inbound_events')
        .values(rows.slice(i, i + 500).map((r) => r.row))
        // A provider retry of an event we already hold (or twice in this batch): acknowledge, store nothing.
        .onConflict((oc) => oc.columns(['channel_id', 'provider_event_id']).doNothing())
        .returning('id')
        .execute();
      for (const r of ins) inserted.add(r.id);
    }
    const stored = requests.map(() => 0);
    const jobs: EnqueueInput[] = [];
    for (const r of rows) {
      if (!inserted.has(r.row.id)) continue;
      stored[r.request]!++;
      jobs.push({
        type: INBOUND_JOB,
        payload: { inboundEventId: r.row.id },
        accountId: r.channel.account_id,
        orderKey: r.ev.orderKey === undefined ? undefined : `in:${r.channel.id}:${r.ev.orderKey}`,
      });
    }
    await uow.enqueueMany(jobs);
    return stored;
  });
}
