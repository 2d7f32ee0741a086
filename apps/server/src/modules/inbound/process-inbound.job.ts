import { z } from 'zod';
import { normaliseDeep } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { adapterFor } from '../channels/channel-registry.ts';
import type { InboundEvent } from '../channels/channel-adapter.ts';
import { loadJobChannel } from '../channels/channel.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { CRASHED_ATTEMPTS_LIMIT, crashedAttempts, isFinalAttempt, markEventDead } from './inbound-failure.ts';
import { UnknownMessageStatus, applyInboundEvent } from './inbound.service.ts';
import { defineJob } from '../../worker/define-job.ts';

export const INBOUND_JOB = 'inbound.process';

/**
 * Attempts (with the queue's backoff: about 30 s in all) to wait for the send job to record the provider's
 * id before a receipt for an unknown message is dropped (receipts of messages sent outside Switchboard).
 */
const UNKNOWN_STATUS_ATTEMPTS = 5;

/**
 * Normalises one stored provider event and applies it. Safe to run twice: every write is keyed.
 * A failure that is not an outage is retried briefly, then the event becomes a dead event (kept, shown
 * to admins) and the job goes dead, so the customer's later events stop waiting behind it.
 */
export const processInboundJob = defineJob(
  INBOUND_JOB,
  z.object({ inboundEventId: z.string() }),
  async (ctx, { inboundEventId }, job) => {
    const ev = await ctx.db.kysely
      .selectFrom('inbound_events')
      .selectAll()
      .where('id', '=', inboundEventId)
      .executeTakeFirst();
    if (!ev || ev.processed_at !== null || ev.failed_at !== null) return;
    const crashed = await crashedAttempts(ctx, job.id, job.attempts);
    if (crashed >= CRASHED_ATTEMPTS_LIMIT) {
      const message = `processing stopped the worker ${crashed} times (crash or lease expiry); not tried again`;
      await markEventDead(ctx, ev.id, message);
      throw new PermanentError(`dead event: ${message}`, 'dead_event');
    }
    try {
      await processEvent(ctx, ev, job.attempts);
    } catch (err) {
      const unknownStatus = err instanceof UnknownMessageStatus;
      if (unknownStatus || !isFinalAttempt(err, job.attempts, job.maxAttempts))
        throw unknownStatus ? new RetryableError((err as Error).message) : err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await markEventDead(ctx, ev.id, message);
      throw new PermanentError(`dead event: ${message}`, 'dead_event');
    }
  },
);

async function processEvent(
  ctx: AppContext,
  ev: { id: string; channel_id: string; payload: string },
  attempts: number,
): Promise<void> {
  const { row: channelRow, runtime: channel } = await loadJobChannel(ctx, ev.channel_id);
  // The one place every channel's output passes: text the databases refuse (NUL, lone surrogates) is
  // cleaned here, so an adapter, present or future, cannot hand the database a poison string.
  const adapter = adapterFor(channel.type);
  const payload: unknown = JSON.parse(ev.payload);
  const events: InboundEvent[] = normaliseDeep(adapter.parse(payload, channel));
  const skipUnknownStatuses = attempts >= UNKNOWN_STATUS_ATTEMPTS;
  await transact(ctx, async (uow) => {
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
  if (adapter.acknowledge) {
    try {
      await adapter.acknowledge(ctx, channel, payload);
    } catch (err) {
      // The event is handled; only the provider's courtesy answer is lost.
      ctx.log.warn({ err, inboundEventId: ev.id }, 'acknowledging the provider event failed');
    }
  }
}
