import { normaliseDeep } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import type { ChannelAdapter, ChannelRuntime, InboundEvent } from '../channels/channel-adapter.ts';
import { adapterFor } from '../channels/channel-registry.ts';
import { loadJobChannel } from '../channels/channel.service.ts';
import { type UnitOfWork, transact } from '../events/unit-of-work.ts';
import { GroupCommit } from './group-commit.ts';
import { UnknownMessageStatus, applyInboundEvent } from './inbound.service.ts';

/**
 * Attempts (with the queue's backoff: about 30 s in all) to wait for the send job to record the provider's
 * id before a receipt for an unknown message is dropped (receipts of messages sent outside Switchboard).
 */
const UNKNOWN_STATUS_ATTEMPTS = 5;

/** Inbound events applied in one transaction at most (the worker's concurrency bounds it first). */
const MAX_BATCH = 64;

/** One stored provider event, parsed and ready to apply; nothing written yet. */
export interface PreparedInbound {
  eventId: string;
  job: ClaimedJob;
  channelRow: Row<'channels'>;
  channel: ChannelRuntime;
  adapter: ChannelAdapter;
  payload: unknown;
  events: InboundEvent[];
  skipUnknownStatuses: boolean;
}

/**
 * Loads the channel and parses the stored payload, outside any transaction: an event the adapter cannot
 * parse fails here, alone, and never spoils a shared transaction.
 */
export async function prepareInbound(
  ctx: AppContext,
  ev: { id: string; channel_id: string; payload: string },
  job: ClaimedJob,
): Promise<PreparedInbound> {
  const { row: channelRow, runtime: channel } = await loadJobChannel(ctx, ev.channel_id);
  const adapter = adapterFor(channel.type);
  const payload: unknown = JSON.parse(ev.payload);
  // The one place every channel's output passes: text the databases refuse (NUL, lone surrogates) is
  // cleaned here, so an adapter, present or future, cannot hand the database a poison string.
  const events: InboundEvent[] = normaliseDeep(adapter.parse(payload, channel));
  return {
    eventId: ev.id,
    job,
    channelRow,
    channel,
    adapter,
    payload,
    events,
    skipUnknownStatuses: job.attempts >= UNKNOWN_STATUS_ATTEMPTS,
  };
}

/**
 * Applies one prepared event inside the caller's transaction, marks it processed and completes its job
 * in the same commit (one write fewer per message than completing it afterwards). The processed mark
 * comes first and is conditional: an event another attempt already processed is skipped, which makes a
 * batch's retry one by one safe, and on PostgreSQL the row lock keeps two workers from applying it at once.
 */
export async function applyPrepared(ctx: AppContext, uow: UnitOfWork, p: PreparedInbound): Promise<void> {
  const marked = await uow.tx
    .updateTable('inbound_events')
    .set({ processed_at: ctx.clock.now() })
    .where('id', '=', p.eventId)
    .where('processed_at', 'is', null)
    .where('failed_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) return;
  for (const e of p.events) {
    try {
      await applyInboundEvent(ctx, uow, p.channelRow, e);
    } catch (err) {
      if (!(p.skipUnknownStatuses && err instanceof UnknownMessageStatus)) throw err;
    }
  }
  await ctx.queue.complete(p.job, uow.tx);
}

/** The provider's courtesy answer after the event is handled; its failure loses only that answer. */
export async function acknowledgeProvider(ctx: AppContext, p: PreparedInbound): Promise<void> {
  if (!p.adapter.acknowledge) return;
  try {
    await p.adapter.acknowledge(ctx, p.channel, p.payload);
  } catch (err) {
    ctx.log.warn({ err, inboundEventId: p.eventId }, 'acknowledging the provider event failed');
  }
}

/** Who an event comes from: two events of one sender never share a transaction. */
function senderOf(p: PreparedInbound): string {
  const e = p.events[0];
  let who: string = e?.kind ?? '';
  if (e && 'contact' in e) who = `c:${e.contact.externalId}`;
  else if (e && 'contactExternalId' in e) who = `c:${e.contactExternalId}`;
  else if (e && 'providerMessageId' in e) who = `m:${e.providerMessageId}`;
  return `${p.channelRow.id}\u0000${who}`;
}

/**
 * Splits a batch into rounds in which every sender appears once, keeping arrival order: two messages of
 * one customer (possible on channels without an order key) are applied in separate, successive
 * transactions, so each one's listeners see the conversation exactly as after one message.
 */
export function roundsBySender(batch: PreparedInbound[]): PreparedInbound[][] {
  const rounds: PreparedInbound[][] = [];
  const lastRound = new Map<string, number>();
  for (const p of batch) {
    const key = senderOf(p);
    const r = (lastRound.get(key) ?? -1) + 1;
    rounds[r] ??= [];
    rounds[r]!.push(p);
    lastRound.set(key, r);
  }
  return rounds;
}

const batchers = new WeakMap<AppContext, GroupCommit<PreparedInbound, void>>();

/**
 * The node's inbound processing group commit: the events of concurrently running `inbound.process` jobs
 * are applied in one transaction (one commit, one WAL flush on PostgreSQL, one event-numbering pass)
 * instead of one each. A failing shared transaction is retried one event per transaction by GroupCommit,
 * so a poison event fails alone and the ones behind it go through.
 */
export function inboundBatcherOf(ctx: AppContext): GroupCommit<PreparedInbound, void> {
  let b = batchers.get(ctx);
  if (!b) {
    b = new GroupCommit<PreparedInbound, void>(
      async (batch) => {
        for (const round of roundsBySender(batch))
          await transact(ctx, async (uow) => {
            for (const p of round) await applyPrepared(ctx, uow, p);
          });
        return batch.map(() => undefined);
      },
      MAX_BATCH,
      (err, size) =>
        ctx.log.warn({ err, size }, 'a shared inbound transaction failed; applying its events one by one'),
    );
    batchers.set(ctx, b);
  }
  return b;
}
