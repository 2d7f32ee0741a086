import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import type { InboundEvent } from '../../channels/channel-adapter.ts';
import { transact } from '../../events/unit-of-work.ts';
import { applyInboundEvent } from '../../inbound/inbound.service.ts';
import { createApiChannel } from '../../routing/routing-test-kit.ts';
import { mergeContacts } from './contact-merge.service.ts';

const dialects = await testDialects();

/**
 * As the inbound job (and an operator's retry) does: a transaction that could not start (no pool
 * connection within its timeout on a loaded machine) is tried again. What the test checks is that every
 * message ends up stored, on the kept contact.
 */
async function retried<T>(fn: () => Promise<T>, left = 20): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (left <= 1 || !/timeout exceeded when trying to connect/.test(String(err))) throw err;
    await new Promise((r) => setTimeout(r, 500));
    return retried(fn, left - 1);
  }
}

describe.each(dialects)('contact merge under concurrent inbound messages (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it('loses no message arriving on either identity while the contacts merge', async () => {
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
    // One message each first: two contacts, one conversation each.
    await inbound(0);
    await inbound(1);
    const contacts = await t.ctx.db.kysely.selectFrom('contacts').select('id').orderBy('id').execute();
    expect(contacts).toHaveLength(2);
    const [keep, other] = contacts.map((c) => c.id) as [string, string];

    const burst = Array.from({ length: 40 }, (_, i) => inbound(i % 2));
    const merge = retried(() =>
      transact(t.ctx, (uow) =>
        mergeContacts(
          t.ctx,
          uow,
          { accountId: t.admin.accountId, userId: t.admin.userId },
          keep,
          other,
          'manual',
        ),
      ),
    );
    const after = Array.from({ length: 20 }, (_, i) => inbound(i % 2));
    const results = await Promise.allSettled([...burst, merge, ...after]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const rows = await t.ctx.db.kysely
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.body', 'm.author_id', 'c.contact_id', 'c.channel_id'])
      .execute();
    expect(rows).toHaveLength(62);
    expect(new Set(rows.map((r) => r.contact_id))).toEqual(new Set([keep]));
    expect(new Set(rows.map((r) => r.author_id))).toEqual(new Set([keep]));
    // Still one conversation per channel: no message opened a stray one on the merged-away contact.
    const convs = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select(['contact_id', 'channel_id'])
      .execute();
    expect(convs).toHaveLength(2);
    const identities = await t.ctx.db.kysely.selectFrom('contact_identities').select('contact_id').execute();
    expect(identities.map((i) => i.contact_id)).toEqual([keep, keep]);
    const stray = await t.ctx.db.kysely
      .selectFrom('contacts')
      .select('id')
      .where('merged_into', 'is', null)
      .execute();
    expect(stray.map((c) => c.id)).toEqual([keep]);
  });
});
