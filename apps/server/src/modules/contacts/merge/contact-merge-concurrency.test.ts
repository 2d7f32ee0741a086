import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { retried, twoChannelInbound } from '../../../../test/concurrent-inbound.ts';
import { transact } from '../../events/unit-of-work.ts';
import { mergeContacts } from './contact-merge.service.ts';

const dialects = await testDialects();

describe.each(dialects)('contact merge under concurrent inbound messages (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it('loses no message arriving on either identity while the contacts merge', async () => {
    const { send: inbound } = await twoChannelInbound(t);
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
