import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../api/types.ts';
import type { InboxFilter } from '../features/inbox/inbox-filter.ts';
import { conv } from '../features/inbox/test-conversation.ts';
import { flattenMessages, renameContact, upsertConversation, upsertMessage } from './cache-updates.ts';

const ME = 'u-me';

function msg(id: string, at: number, over: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'c1',
    channelId: 'ch1',
    direction: 'in',
    authorKind: 'contact',
    authorId: null,
    contentKind: 'text',
    text: id,
    private: false,
    mentions: [],
    clientMessageId: null,
    providerMessageId: null,
    deliveryStatus: null,
    error: null,
    providerTs: null,
    meta: {},
    attachments: [],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

const pages = <T>(...p: { items: T[]; nextCursor: string | null }[]) => ({
  pages: p,
  pageParams: p.map((_, i) => (i === 0 ? undefined : `c${i}`)),
});
const ids = (d: { pages: { items: { id: string }[] }[] } | undefined) =>
  d?.pages.map((p) => p.items.map((i) => i.id));

describe('upsertConversation', () => {
  const unassignedOpen: InboxFilter = { view: 'unassigned', status: 'open' };
  const mine: InboxFilter = { view: 'mine', status: 'open' };

  it('puts fresh activity at the top and removes the old position', () => {
    const d = pages({ items: [conv('b', 20), conv('a', 10)], nextCursor: null });
    expect(ids(upsertConversation(d, conv('a', 30), unassignedOpen, ME))).toEqual([['a', 'b']]);
  });

  it('moves a conversation out of Unassigned and into Mine when it is assigned to me', () => {
    const queue = pages({ items: [conv('a', 10)], nextCursor: null });
    const myList = pages<Conversation>({ items: [], nextCursor: null });
    const assigned = conv('a', 10, { assigneeId: ME });
    expect(ids(upsertConversation(queue, assigned, unassignedOpen, ME))).toEqual([[]]);
    expect(ids(upsertConversation(myList, assigned, mine, ME))).toEqual([['a']]);
  });

  it('leaves an old conversation beyond the loaded pages for paging to find', () => {
    const d = pages({ items: [conv('b', 20)], nextCursor: 'more' });
    expect(ids(upsertConversation(d, conv('a', 5), unassignedOpen, ME))).toEqual([['b']]);
    const complete = pages({ items: [conv('b', 20)], nextCursor: null });
    expect(ids(upsertConversation(complete, conv('a', 5), unassignedOpen, ME))).toEqual([['b', 'a']]);
  });

  it('drops a resolved conversation from an open list and keeps status lists apart', () => {
    const d = pages({ items: [conv('a', 10)], nextCursor: null });
    const resolved = conv('a', 11, { status: 'resolved' });
    expect(ids(upsertConversation(d, resolved, unassignedOpen, ME))).toEqual([[]]);
    expect(
      ids(
        upsertConversation(
          pages({ items: [], nextCursor: null }),
          resolved,
          { view: 'all', status: 'resolved' },
          ME,
        ),
      ),
    ).toEqual([['a']]);
  });

  it('in an SLA-due list places a conversation by its due time, those without a target last', () => {
    const sla = (dueAt: number) => ({
      policyId: 'p',
      metric: 'first_response' as const,
      dueAt,
      breached: false,
    });
    const bySla: InboxFilter = { view: 'all', status: 'open', sort: 'sla_due' };
    const d = pages({
      items: [conv('b', 10, { sla: sla(100) }), conv('c', 50, { sla: sla(300) }), conv('d', 99)],
      nextCursor: null,
    });
    // Fresh activity does not lift it: only the due time counts.
    expect(ids(upsertConversation(d, conv('a', 999, { sla: sla(200) }), bySla, ME))).toEqual([
      ['b', 'a', 'c', 'd'],
    ]);
    expect(ids(upsertConversation(d, conv('e', 1), bySla, ME))).toEqual([['b', 'c', 'd', 'e']]);
  });
});

describe('upsertMessage', () => {
  it('appends to the newest page in time order and flattens oldest first', () => {
    const d = pages(
      { items: [msg('m3', 30), msg('m4', 40)], nextCursor: 'older' },
      { items: [msg('m1', 10)], nextCursor: null },
    );
    const next = upsertMessage(d, msg('m5', 50));
    expect(flattenMessages(next).map((m) => m.id)).toEqual(['m1', 'm3', 'm4', 'm5']);
  });

  it('replaces the optimistic copy of my reply with the server copy (same clientMessageId)', () => {
    const local = msg('local-1', 50, { direction: 'out', clientMessageId: 'cm1', local: 'sending' });
    const d = pages({ items: [msg('m1', 10), local], nextCursor: null });
    const server = msg('srv-1', 51, { direction: 'out', clientMessageId: 'cm1', deliveryStatus: 'queued' });
    const out = flattenMessages(upsertMessage(d, server));
    expect(out.map((m) => m.id)).toEqual(['m1', 'srv-1']);
    expect(out[1]?.local).toBeUndefined();
  });

  it('never steps a delivery status back when an older copy arrives late', () => {
    const sent = msg('m1', 10, { direction: 'out', deliveryStatus: 'delivered', updatedAt: 20 });
    const d = pages({ items: [sent], nextCursor: null });
    const stale = msg('m1', 10, { direction: 'out', deliveryStatus: 'queued', updatedAt: 10 });
    expect(flattenMessages(upsertMessage(d, stale))[0]?.deliveryStatus).toBe('delivered');
    expect(flattenMessages(upsertMessage(d, stale)).length).toBe(1);
  });
});

describe('renameContact', () => {
  it("renames the contact's rows and leaves the data alone when nothing changes", () => {
    const d = pages({ items: [conv('a', 20), conv('b', 10)], nextCursor: null });
    const out = renameContact(d, { id: 'ct-a', name: 'Anna' });
    expect(out?.pages[0]?.items.map((c) => c.contact.name)).toEqual(['Anna', 'b']);
    expect(renameContact(d, { id: 'ct-zzz', name: 'x' })).toBe(d);
  });
});
