import type { InboundEvent } from '../src/modules/channels/channel-adapter.ts';
import { transact } from '../src/modules/events/unit-of-work.ts';
import { applyInboundEvent } from '../src/modules/inbound/inbound.service.ts';
import { createApiChannel } from '../src/modules/routing/routing-test-kit.ts';
import type { TestApp } from './test-app.ts';

/**
 * As the inbound job (and an operator's retry) does: a transaction that could not start (no pool
 * connection within its timeout on a loaded machine) is tried again. Concurrency suites check that every
 * message ends up stored, not that the pool never ran dry.
 */
export async function retried<T>(fn: () => Promise<T>, left = 20): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (left <= 1 || !/timeout exceeded when trying to connect/.test(String(err))) throw err;
    await new Promise((r) => setTimeout(r, 500));
    return retried(fn, left - 1);
  }
}

/**
 * Two API channels (Shop, App) and a sender of customer messages straight through the inbound path:
 * `send(i)` has customer `customer-<i>` write a numbered message on channel i, in its own transaction.
 */
export async function twoChannelInbound(t: TestApp) {
  const ids = [await createApiChannel(t, { name: 'Shop' }), await createApiChannel(t, { name: 'App' })];
  const channels = await t.ctx.db.kysely
    .selectFrom('channels')
    .selectAll()
    .where(
      'id',
      'in',
      ids.map((c) => c.id),
    )
    .execute();
  const byId = new Map(channels.map((c) => [c.id, c]));
  let n = 0;
  const send = (channelIndex: number) => {
    const channel = byId.get(ids[channelIndex]!.id)!;
    const i = n++;
    const e: InboundEvent = {
      kind: 'message',
      providerMessageId: `m-${i}`,
      contact: { externalId: `customer-${channelIndex}` },
      contentKind: 'text',
      text: `message ${i}`,
      attachments: [],
      providerTs: null,
    };
    return retried(() => transact(t.ctx, (uow) => applyInboundEvent(t.ctx, uow, channel, e)));
  };
  return { channelIds: ids.map((c) => c.id), send };
}
