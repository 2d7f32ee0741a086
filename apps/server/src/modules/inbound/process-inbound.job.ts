import type { AppContext } from '../../app-context.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { adapterFor } from '../channels/channel-registry.ts';
import { toRuntime } from '../channels/channel.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { RetryableError } from '../../worker/job-errors.ts';
import { UnknownMessageStatus, applyInboundEvent } from './inbound.service.ts';

export const INBOUND_JOB = 'inbound.process';

/**
 * Attempts (with the queue's backoff: about 30 s in all) to wait for the send job to record the provider's
 * id before a receipt for an unknown message is dropped (receipts of messages sent outside Switchboard).
 */
const UNKNOWN_STATUS_ATTEMPTS = 5;

/** Normalises one stored provider event and applies it. Safe to run twice: every write is keyed. */
export async function processInboundJob(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const { inboundEventId } = job.payload as { inboundEventId: string };
  const ev = await ctx.db.kysely
    .selectFrom('inbound_events')
    .selectAll()
    .where('id', '=', inboundEventId)
    .executeTakeFirst();
  if (!ev || ev.processed_at !== null) return;
  const channelRow = await ctx.db.kysely
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', ev.channel_id)
    .executeTakeFirstOrThrow();
  const channel = toRuntime(ctx, channelRow);
  const events = adapterFor(channel.type).parse(JSON.parse(ev.payload), channel);
  const apply = (skipUnknownStatuses: boolean) =>
    transact(ctx, async (uow) => {
      for (const e of events) {
        try {
          await applyInboundEvent(ctx, uow, channelRow, e);
        } catch (err) {
          if (!(skipUnknownStatuses && err instanceof UnknownMessageStatus)) throw err;
        }
      }
      await uow.tx
        .updateTable('inbound_events')
        .set({ processed_at: ctx.clock.now() })
        .where('id', '=', ev.id)
        .execute();
    });
  try {
    await apply(job.attempts >= UNKNOWN_STATUS_ATTEMPTS);
  } catch (err) {
    if (err instanceof UnknownMessageStatus) throw new RetryableError(err.message);
    throw err;
  }
}
