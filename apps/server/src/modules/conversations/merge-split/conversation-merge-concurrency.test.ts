import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import type { InboundEvent } from '../../channels/channel-adapter.ts';
import { transact } from '../../events/unit-of-work.ts';
import { applyInboundEvent } from '../../inbound/inbound.service.ts';
import { createApiChannel } from '../../routing/routing-test-kit.ts';
import { mergeConversations } from './conversation-merge.service.ts';

const dialects = await testDialects();

/** As the inbound job does: a transaction that could not get a pool connection in time is tried again. */
async function retried<T>(fn: () => Promise<T>, left = 20): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (left <= 1 || !/timeout exceeded when trying to connect/.test(String(err))) throw err;
    await new Promise((r) => setTimeout(r, 500));
    return retried(fn, left - 1);
  }
}

describe.each(dialects)('conversation merge under concurrent inbound messages (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it('loses no message arriving for either conversation while they merge', async () => {
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
    const inbound = (channelIndex: number) => {
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
    // One customer on two channels (joined by a contact merge): two open conversations of one contact.
    await inbound(0);
    await inbound(1);
    const contacts = await t.ctx.db.kysely.selectFrom('contacts').select('id').orderBy('id').execute();
    const merged = await t.as(t.admin, 'POST', `/api/v1/contacts/${contacts[0]!.id}/merge`, {
      otherContactId: contacts[1]!.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const convs = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select(['id', 'channel_id'])
      .orderBy('id')
      .execute();
    expect(convs).toHaveLength(2);
    const keep = convs.find((c) => c.channel_id === ids[0]!.id)!.id;
    const other = convs.find((c) => c.channel_id === ids[1]!.id)!.id;

    const burst = Array.from({ length: 40 }, (_, i) => inbound(i % 2));
    const merge = retried(() =>
      transact(t.ctx, (uow) =>
        mergeConversations(t.ctx, uow, { accountId: t.admin.accountId, userId: t.admin.userId }, keep, other),
      ),
    );
    const after = Array.from({ length: 20 }, (_, i) => inbound(i % 2));
    const results = await Promise.allSettled([...burst, merge, ...after]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const rows = await t.ctx.db.kysely
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.body', 'm.channel_id', 'c.id as conversation_id', 'c.merged_into'])
      .execute();
    expect(rows).toHaveLength(62);
    expect(new Set(rows.map((r) => r.body)).size).toBe(62);
    // Nothing is left behind in the merged-away conversation: every message is in a live one.
    expect(rows.filter((r) => r.merged_into !== null)).toEqual([]);
    expect(rows.filter((r) => r.conversation_id === other)).toEqual([]);
    // Messages on the App channel after the merge open a new conversation there (the merged one is closed).
    const open = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select(['id', 'merged_into'])
      .where('merged_into', 'is', null)
      .execute();
    expect(open.map((c) => c.id)).toContain(keep);
    const pointer = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select(['status', 'merged_into'])
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    expect(pointer).toEqual({ status: 'resolved', merged_into: keep });
  });
});
