import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { seedTeam, seedUser } from '../../../../test/seed.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { createAccountWithAdmin } from '../../accounts/account.service.ts';
import { rebuildReports } from '../../reports/rebuild-reports.ts';
import { createApiChannel, messagesOf, postInbound } from '../../routing/routing-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('conversation merge and split (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });
  const k = () => t.ctx.db.kysely;

  const latestConversation = async (externalId: string) =>
    await k()
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.id', 'c.contact_id'])
      .where('i.external_id', '=', externalId)
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .executeTakeFirstOrThrow();

  /**
   * Anna: a resolved conversation on Shop (`first`), a newer open one on Shop (`second`), and one on App
   * (`onApp`) that became hers by a contact merge. Each has a label; the first an attribute.
   */
  async function anna() {
    const shop = await createApiChannel(t, { name: 'Shop' });
    const app = await createApiChannel(t, { name: 'App' });
    await postInbound(t, shop, 'anna', 'order 1 please');
    await t.drainJobs();
    const first = await latestConversation('anna');
    const patch = async (id: string, body: unknown) => {
      const res = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, body);
      expect(res.statusCode, res.body).toBe(200);
    };
    await patch(first.id, { status: 'resolved', labels: ['orders'], priority: 'high' });
    t.clock.advance(60_000);
    await postInbound(t, shop, 'anna', 'where is order 2');
    t.clock.advance(60_000);
    await postInbound(t, app, 'anna-app', 'refund parcel');
    await t.drainJobs();
    const second = await latestConversation('anna');
    const onApp = await latestConversation('anna-app');
    expect(new Set([first.id, second.id, onApp.id]).size).toBe(3);
    await patch(second.id, { labels: ['orders', 'urgent'] });
    const merged = await t.as(t.admin, 'POST', `/api/v1/contacts/${first.contact_id}/merge`, {
      otherContactId: onApp.contact_id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    return { shop, app, contactId: first.contact_id, first: first.id, second: second.id, onApp: onApp.id };
  }

  it('merges every message with its time and channel, combines by the rule, closes the other as a pointer', async () => {
    const a = await anna();
    const before = await k()
      .selectFrom('messages')
      .select(['id', 'created_at', 'channel_id', 'author_id'])
      .where('conversation_id', 'in', [a.first, a.onApp])
      .orderBy('id')
      .execute();
    await k()
      .insertInto('conversation_reads')
      .values({
        user_id: t.admin.userId,
        conversation_id: a.onApp,
        account_id: t.admin.accountId,
        last_read_at: 1,
        last_read_message_id: '0',
        updated_at: 1,
      })
      .execute();
    const pre = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations/${a.first}/merge-preview?otherConversationId=${a.onApp}`,
    );
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json()).toMatchObject({
      rule: expect.stringMatching(/conversation you keep wins/),
      result: { status: 'open', priority: 'high', labels: ['orders'] },
      moves: { messages: 1 },
    });
    const eventsBefore = await t.ctx.db.kysely.selectFrom('account_events').select('seq').execute();

    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/merge`, {
      otherConversationId: a.onApp,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ mergedId: a.onApp, moved: 1 });
    expect(body.conversation).toMatchObject({
      id: a.first,
      // The kept one was resolved, the other waiting: the customer must not vanish into a resolved one.
      status: 'open',
      priority: 'high',
      labels: ['orders'],
      lastMessagePreview: 'refund parcel',
    });
    expect(body.conversation.mergedIntoId).toBeUndefined();

    const after = await k()
      .selectFrom('messages')
      .select(['id', 'created_at', 'channel_id', 'author_id', 'conversation_id'])
      .where(
        'id',
        'in',
        before.map((m) => m.id),
      )
      .orderBy('id')
      .execute();
    expect(after.map(({ conversation_id, ...m }) => m)).toEqual(before);
    expect(new Set(after.map((m) => m.conversation_id))).toEqual(new Set([a.first]));
    expect(new Set(after.map((m) => m.channel_id))).toEqual(new Set([a.shop.id, a.app.id]));
    expect((await messagesOf(t, a.first)).map((m) => m.text)).toEqual(['order 1 please', 'refund parcel']);

    // The merged-away id: a pointer (301 on read, 409 on anything else), closed, out of the unread sums.
    const gone = await t.as(t.admin, 'GET', `/api/v1/conversations/${a.onApp}`);
    expect(gone.statusCode).toBe(301);
    expect(gone.headers.location).toBe(`/api/v1/conversations/${a.first}`);
    expect(gone.json()).toMatchObject({ error: { code: 'conversation_merged' }, mergedInto: a.first });
    const write = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${a.onApp}`, { priority: 'low' });
    expect(write.statusCode).toBe(409);
    expect(write.json().error).toMatchObject({
      code: 'conversation_merged',
      details: { mergedInto: a.first },
    });
    const row = await k()
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', a.onApp)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'resolved', merged_into: a.first, sla_due_at: null });
    const reads = await k()
      .selectFrom('conversation_reads')
      .selectAll()
      .where('user_id', '=', t.admin.userId)
      .execute();
    expect(reads.filter((r) => r.conversation_id === a.onApp)).toEqual([]);
    expect(reads.find((r) => r.conversation_id === a.first)?.last_read_at).toBe(1);

    // Search finds the moved message in the kept conversation.
    const hit = await t.as(t.admin, 'GET', '/api/v1/search?q=refund');
    expect(hit.json().items.map((h: { conversationId?: string }) => h.conversationId)).toEqual([a.first]);

    // Events: the other as updated with its pointer (never resolved: no survey, no rule), the kept one
    // reopened, each moved message as updated; no message.created.
    const events = await k()
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('seq', '>', eventsBefore.length ? Math.max(...eventsBefore.map((e) => Number(e.seq))) : 0)
      .where('account_id', '=', t.admin.accountId)
      .orderBy('seq')
      .execute();
    const seen = events.map((e) => [e.type, JSON.parse(e.payload).id as string]);
    expect(seen).toEqual([
      ['conversation.updated', a.onApp],
      ['conversation.updated', a.first],
      ['conversation.reopened', a.first],
      ['message.updated', before.find((m) => m.channel_id === a.app.id)!.id],
    ]);
    expect(JSON.parse(events[0]!.payload).mergedIntoId).toBe(a.first);

    // Reports: the merged-away conversation's open request is not one of its own; nothing counted twice.
    const cycles = await k().selectFrom('report_cycles').select(['conversation_id', 'resolved_at']).execute();
    expect(cycles.filter((c) => c.conversation_id === a.onApp)).toEqual([]);
    const msgCounts = await k()
      .selectFrom('report_totals')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('dim', '=', 'all')
      .where('metric', '=', 'inbound')
      .executeTakeFirst();
    expect(Number(msgCounts?.n)).toBe(3);

    // A rebuild from history agrees with the live rollups about the merged conversation.
    const cyclesLive = await k()
      .selectFrom('report_cycles')
      .select(['conversation_id', 'seq', 'opened_at', 'resolved_at'])
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute();
    await rebuildReports(t.ctx, t.admin.accountId);
    const cyclesRebuilt = await k()
      .selectFrom('report_cycles')
      .select(['conversation_id', 'seq', 'opened_at', 'resolved_at'])
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute();
    expect(cyclesRebuilt.filter((c) => c.conversation_id === a.onApp)).toEqual([]);
    expect(cyclesRebuilt.map((c) => c.conversation_id)).toEqual(cyclesLive.map((c) => c.conversation_id));

    const audit = await k()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'conversation.merged')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ mergedId: a.onApp, moved: 1 });
  });

  it('refuses itself, another contact, an already merged one, and answers 404 across accounts', async () => {
    const a = await anna();
    const self = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/merge`, {
      otherConversationId: a.first,
    });
    expect(self.statusCode).toBe(400);
    const shop = await createApiChannel(t, { name: 'Other shop' });
    await postInbound(t, shop, 'boris', 'hi');
    await t.drainJobs();
    const boris = await latestConversation('boris');
    const foreign = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/merge`, {
      otherConversationId: boris.id,
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('not_same_contact');
    expect(
      (
        await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/merge`, {
          otherConversationId: a.onApp,
        })
      ).statusCode,
    ).toBe(200);
    const again = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.second}/merge`, {
      otherConversationId: a.onApp,
    });
    expect(again.statusCode).toBe(409);
    const intoPointer = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.onApp}/merge`, {
      otherConversationId: a.second,
    });
    expect(intoPointer.json().error.code).toBe('conversation_merged');

    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const globex = await t.login('root@globex.test', 'globex password');
    for (const [url, body] of [
      [`/api/v1/conversations/${a.first}/merge`, { otherConversationId: a.second }],
      [`/api/v1/conversations/${a.first}/split`, { messageIds: ['x'] }],
    ] as const) {
      const res = await t.as(globex, 'POST', url, body);
      expect(res.statusCode, url).toBe(404);
    }
    expect((await t.as(globex, 'GET', `/api/v1/conversations/${a.onApp}`)).statusCode).toBe(404);
    expect((await messagesOf(t, a.second)).map((m) => m.text)).toEqual(['where is order 2']);
  });

  it('lets an operator merge only conversations she can see', async () => {
    const a = await anna();
    const olga = await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    const sales = await seedTeam(t.ctx, t.admin.accountId, 'Sales', [olga]);
    const support = await seedTeam(t.ctx, t.admin.accountId, 'Support', []);
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${a.first}`, { teamId: sales });
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${a.second}`, { teamId: support });
    const operator = await t.login('olga@example.com', 'operator-password');
    const hidden = await t.as(operator, 'POST', `/api/v1/conversations/${a.first}/merge`, {
      otherConversationId: a.second,
    });
    expect(hidden.statusCode).toBe(404);
    const ok = await t.as(operator, 'POST', `/api/v1/conversations/${a.first}/merge`, {
      otherConversationId: a.onApp,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('splits selected messages into a new conversation of the contact and refuses bad selections', async () => {
    const a = await anna();
    await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/merge`, { otherConversationId: a.second });
    const msgs = await messagesOf(t, a.first);
    expect(msgs.map((m) => m.text)).toEqual(['order 1 please', 'where is order 2']);
    const refuse = async (messageIds: string[], code: string) => {
      const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/split`, { messageIds });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe(code);
    };
    await refuse([], 'nothing_selected');
    await refuse(
      msgs.map((m) => m.id),
      'cannot_move_all_messages',
    );
    const elsewhere = (await messagesOf(t, a.onApp))[0]!.id;
    await refuse([elsewhere], 'message_not_in_conversation');

    const moving = msgs[1]!;
    const original = await k()
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', moving.id)
      .executeTakeFirstOrThrow();
    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.first}/split`, {
      messageIds: [moving.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { conversation, source, moved } = res.json();
    expect(moved).toBe(1);
    expect(conversation).toMatchObject({
      status: 'open',
      contact: { id: a.contactId },
      channel: { id: a.shop.id },
      lastMessagePreview: 'where is order 2',
      lastInboundAt: original.created_at,
    });
    expect(source).toMatchObject({ id: a.first, lastMessagePreview: 'order 1 please' });
    const now = await k()
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', moving.id)
      .executeTakeFirstOrThrow();
    expect(now).toEqual({ ...original, conversation_id: conversation.id });
    expect((await messagesOf(t, conversation.id)).map((m) => m.text)).toEqual(['where is order 2']);
    expect((await messagesOf(t, a.first)).map((m) => m.text)).toEqual(['order 1 please']);
    const hit = await t.as(t.admin, 'GET', '/api/v1/search?q=where');
    expect(hit.json().items.map((h: { conversationId?: string }) => h.conversationId)).toEqual([
      conversation.id,
    ]);
    const audit = await k()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'conversation.split')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
