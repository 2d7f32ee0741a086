import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { retried, twoChannelInbound } from '../../../../test/concurrent-inbound.ts';
import { transact } from '../../events/unit-of-work.ts';
import { mergeConversations } from './conversation-merge.service.ts';

const dialects = await testDialects();

describe.each(dialects)('conversation merge under concurrent inbound messages (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it('loses no message arriving for either conversation while they merge', async () => {
    const { channelIds, send: inbound } = await twoChannelInbound(t);
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
    const keep = convs.find((c) => c.channel_id === channelIds[0])!.id;
    const other = convs.find((c) => c.channel_id === channelIds[1])!.id;

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
