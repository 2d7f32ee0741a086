import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ProviderEvent } from '../channels/channel-adapter.ts';
import { transact } from '../events/unit-of-work.ts';
import { INBOUND_JOB } from './process-inbound.job.ts';

/**
 * Commits provider events with their `inbound.process` jobs in one transaction (unique per channel and
 * provider event id: a retried event is skipped). Callers acknowledge the provider only after this
 * resolves. Returns how many events were new.
 */
export async function storeProviderEvents(
  ctx: AppContext,
  channel: Pick<Row<'channels'>, 'id' | 'account_id'>,
  events: ProviderEvent[],
  /** More writes that must commit with the events (the widget marks the visitor's files used). */
  alongside?: (tx: Tx) => Promise<void>,
): Promise<number> {
  if (events.length === 0) return 0;
  const now = ctx.clock.now();
  return transact(ctx, async (uow) => {
    await alongside?.(uow.tx);
    let stored = 0;
    for (const ev of events) {
      const id = newId(now);
      const ins = await uow.tx
        .insertInto('inbound_events')
        .values({
          id,
          account_id: channel.account_id,
          channel_id: channel.id,
          provider_event_id: ev.providerEventId,
          payload: JSON.stringify(ev.payload),
          received_at: now,
          processed_at: null,
        })
        .onConflict((oc) => oc.columns(['channel_id', 'provider_event_id']).doNothing())
        .executeTakeFirst();
      // A provider retry of an event we already hold: acknowledge again, store nothing.
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) continue;
      stored++;
      await uow.enqueue({
        type: INBOUND_JOB,
        payload: { inboundEventId: id },
        accountId: channel.account_id,
        orderKey: ev.orderKey === undefined ? undefined : `in:${channel.id}:${ev.orderKey}`,
      });
    }
    return stored;
  });
}
