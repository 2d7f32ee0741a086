import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { parseCsv } from '../../lib/csv.ts';
import { at, buildCorpus, type Corpus, DAY0 } from './search-corpus.fixture.ts';

const dialects = await testDialects();

interface Hit {
  kind: string;
  messageId: string | null;
  conversationId: string | null;
  contact: { id: string; name: string | null };
  score: number;
  createdAt: number;
  snippet: { text: string; highlights: { start: number; end: number }[] };
}

describe.each(dialects)('full-text search (%s)', (dialect) => {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
  });

  async function search(params: Record<string, string>, s: Session = t.admin) {
    const res = await t.as(s, 'GET', `/api/v1/search?${new URLSearchParams(params)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Hit[]; nextCursor: string | null };
  }
  const messageKeys = (items: Hit[]) =>
    items
      .filter((h) => h.kind === 'message')
      .map((h) => Object.entries(c.msg).find(([, id]) => id === h.messageId)?.[0] ?? h.messageId)
      .sort();

  it('matches Russian word forms: "заказ" finds заказ, заказом, заказы (and the reply), nothing else', async () => {
    const r = await search({ q: 'заказ' });
    expect(messageKeys(r.items)).toEqual(['m1', 'm3', 'm6', 'reply']);
    expect(messageKeys((await search({ q: 'заказы' })).items)).toEqual(['m1', 'm3', 'm6', 'reply']);
    expect(messageKeys((await search({ q: 'ДОСТАВКИ' })).items)).toEqual(['m3']);
  });

  it('matches English word forms: "order" finds ordered, orders and the private note', async () => {
    expect(messageKeys((await search({ q: 'order' })).items)).toEqual(['m2', 'm5', 'note']);
    expect(messageKeys((await search({ q: 'ordering' })).items)).toEqual(['m2', 'm5', 'note']);
    expect(messageKeys((await search({ q: 'deliveries' })).items)).toEqual(['m4']);
  });

  it('requires every word, and a quoted phrase in order and adjacent', async () => {
    expect(messageKeys((await search({ q: 'blue kettle' })).items)).toEqual(['m2', 'm4', 'm5']);
    expect(messageKeys((await search({ q: '"blue kettle"' })).items)).toEqual(['m2', 'm4']);
    expect(messageKeys((await search({ q: '«kettle blue»' })).items)).toEqual([]);
    expect(messageKeys((await search({ q: 'blue заказ' })).items)).toEqual([]);
  });

  it('returns snippets whose highlight offsets cover the matched word forms', async () => {
    const r = await search({ q: 'заказ' });
    const byKey = new Map(r.items.map((h) => [h.messageId, h]));
    const m6 = byKey.get(c.msg.m6!)!;
    expect(m6.snippet.text).toBe('Спасибо, все заказы получила!');
    expect(m6.snippet.highlights.map((h) => m6.snippet.text.slice(h.start, h.end))).toEqual(['заказы']);
    const m3 = byKey.get(c.msg.m3!)!;
    expect(m3.snippet.highlights.map((h) => m3.snippet.text.slice(h.start, h.end))).toEqual(['заказом']);
    expect(m3.conversationId).toBe(c.conv.petr);
    const phrase = await search({ q: '"blue kettle"' });
    const m4 = phrase.items.find((h) => h.messageId === c.msg.m4)!;
    expect(m4.snippet.highlights.map((h) => m4.snippet.text.slice(h.start, h.end))).toEqual(['blue kettle']);
  });

  it('finds contacts by name, phone digits and e-mail, pointing at their conversation', async () => {
    const byName = await search({ q: 'Иванову' });
    expect(byName.items.map((h) => h.kind)).toEqual(['contact']);
    expect(byName.items[0]!.conversationId).toBe(c.conv.maria);
    expect(byName.items[0]!.snippet.highlights.length).toBe(1);
    const byPhone = await search({ q: '+79990001122' });
    expect(byPhone.items.map((h) => [h.kind, h.contact.name])).toEqual([['contact', 'Мария Иванова']]);
    const byEmail = await search({ q: 'john.smith@example.com' });
    expect(byEmail.items.map((h) => [h.kind, h.contact.name])).toEqual([['contact', 'John Smith']]);
    expect((await search({ q: 'Иванову', kind: 'messages' })).items).toEqual([]);
  });

  it('filters by channel, status, assignee, label, author and date range', async () => {
    expect(messageKeys((await search({ q: 'kettle', channel: c.vip.id })).items)).toEqual(['m4']);
    expect(messageKeys((await search({ q: 'order', label: 'refund' })).items)).toEqual(['m2', 'm5', 'note']);
    expect(messageKeys((await search({ q: 'order', label: 'other' })).items)).toEqual([]);
    expect(messageKeys((await search({ q: 'заказ', assignee: 'me' })).items)).toEqual(['m1', 'm6', 'reply']);
    expect(messageKeys((await search({ q: 'заказ', assignee: 'none' })).items)).toEqual(['m3']);
    expect(messageKeys((await search({ q: 'заказ', status: 'open' })).items)).toEqual([
      'm1',
      'm3',
      'm6',
      'reply',
    ]);
    expect(messageKeys((await search({ q: 'заказ', status: 'resolved' })).items)).toEqual([]);
    expect(messageKeys((await search({ q: 'заказ', author: t.admin.userId })).items)).toEqual(['reply']);
    const day1 = { from: String(at(1, 0)), to: String(at(2, 0)) };
    expect(messageKeys((await search({ q: 'заказ', ...day1 })).items)).toEqual(['m3']);
    expect(messageKeys((await search({ q: 'заказ', from: '2024-03-12' })).items)).toEqual(['m6', 'reply']);
    // A conversation filter leaves contacts out (they have no conversation to satisfy it).
    expect((await search({ q: 'Иванова', status: 'open' })).items.every((h) => h.kind === 'message')).toBe(
      true,
    );
  });

  it("never shows another account's data, and the other account never sees ours", async () => {
    const ours = await search({ q: 'потерялся' });
    expect(ours.items).toEqual([]);
    const theirs = await search({ q: 'заказ' }, c.other.session);
    expect(theirs.items.filter((h) => h.kind === 'message').map((h) => h.conversationId)).toEqual([
      c.other.conv,
    ]);
    const theirContacts = (await search({ q: 'Иванова' }, c.other.session)).items;
    expect(theirContacts.map((h) => h.conversationId)).toEqual([c.other.conv]);
    expect(messageKeys((await search({ q: 'kettle', channel: c.shop.id }, c.other.session)).items)).toEqual(
      [],
    );
  });

  it('limits an operator to conversations their teams may see', async () => {
    expect(messageKeys((await search({ q: 'kettle' }, c.operator)).items)).toEqual(['m2', 'm5']);
    const admin = await search({ q: 'kettle' });
    expect(messageKeys(admin.items)).toEqual(['m2', 'm4', 'm5']);
    // Alice's contact is still searchable (contacts are account-wide), but it opens no hidden conversation.
    const alice = await search({ q: 'Alice' }, c.operator);
    expect(alice.items.map((h) => [h.kind, h.conversationId])).toEqual([['contact', null]]);
  });

  it('ranks by relevance (order=relevance), then newest, and pages with a stable cursor', async () => {
    const all = await search({ q: 'kettle', order: 'relevance' });
    const scores = all.items.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search({
        q: 'kettle',
        order: 'relevance',
        limit: '1',
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((h) => h.messageId!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((h) => h.messageId));
    // `sort` is the former name of the parameter and still works.
    expect((await search({ q: 'kettle', sort: 'relevance' })).items).toEqual(all.items);
  });

  it('returns the newest matches first by default, paging with a stable cursor', async () => {
    const recent = await search({ q: 'kettle' });
    expect(recent.items.map((h) => h.createdAt)).toEqual([at(2, 9), at(1, 11), at(0, 21)]);
    expect((await search({ q: 'kettle', order: 'recent' })).items).toEqual(recent.items);
    for (const limit of ['1', '2']) {
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search({ q: 'kettle', limit, ...(cursor ? { cursor } : {}) });
        walked.push(...page.items.map((h) => h.messageId!));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked).toEqual(recent.items.map((h) => h.messageId));
    }
    // A word in most documents, with a filter: newest first, all of them, same as walking them page by page.
    const everything = await search({ q: 'заказ', kind: 'messages', limit: '100' });
    const times = everything.items.map((h) => h.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages newest-first through a filtered search, one hit per page, without gaps or repeats', async () => {
    const filters: Record<string, string>[] = [
      { channel: c.shop.id },
      { direction: 'in' },
      { kind: 'messages' },
    ];
    for (const filter of filters) {
      const all = await search({ q: 'заказ', ...filter, limit: '100' });
      expect(all.items.length).toBeGreaterThan(1);
      const times = all.items.map((h) => h.createdAt);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search({ q: 'заказ', ...filter, limit: '1', ...(cursor ? { cursor } : {}) });
        walked.push(...page.items.map((h) => h.messageId!));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked).toEqual(all.items.map((h) => h.messageId));
    }
  });

  it('finds a new message as soon as the request that wrote it returns', async () => {
    clock.set(at(3, 9));
    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${c.conv.petr}/messages`, {
      text: 'Зелёный чайник уже в пути',
      clientMessageId: 'fresh-1',
      private: true,
    });
    expect(res.statusCode).toBe(201);
    const r = await search({ q: 'зелёного чайника' });
    expect(r.items.map((h) => h.messageId)).toEqual([res.json().id]);
  });

  it('answers 400 with a stable code for queries without words and for bad parameters', async () => {
    for (const qs of ['q=%21%21%21', 'q=', 'q=a&status=nope', 'q=a&from=yesterday', 'q=a&cursor=xyz']) {
      const res = await t.as(t.admin, 'GET', `/api/v1/search?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=order' });
    expect(anon.statusCode).toBe(401);
  });

  it('documents search, templates and exports in the OpenAPI description', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    for (const path of [
      '/api/v1/search',
      '/api/v1/search/mentions',
      '/api/v1/templates',
      '/api/v1/templates/{id}',
      '/api/v1/templates/{id}/render',
      '/api/v1/templates/import',
      '/api/v1/templates/export.csv',
      '/api/v1/exports',
      '/api/v1/exports/{id}',
      '/api/v1/exports/{id}/download',
      '/api/v1/account/time-zone',
    ]) {
      expect(Object.keys(paths)).toContain(path);
    }
    const params = paths['/api/v1/search'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['q', 'channel', 'assignee', 'label', 'status', 'from', 'to', 'cursor']),
    );
  });

  it('reports mentions: customers, conversations and messages by day in the account time zone', async () => {
    const get = async (s: Session = t.admin, extra: Record<string, string> = {}) => {
      const res = await t.as(
        s,
        'GET',
        `/api/v1/search/mentions?${new URLSearchParams({ q: 'заказ', ...extra })}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const utc = await get();
    expect(utc.timeZone).toBe('UTC');
    expect(utc.totals).toEqual({ messages: 3, conversations: 2, customers: 2 });
    expect(utc.byDay).toEqual([
      { day: '2024-03-10', messages: 1, conversations: 1, customers: 1 },
      { day: '2024-03-11', messages: 1, conversations: 1, customers: 1 },
      { day: '2024-03-12', messages: 1, conversations: 1, customers: 1 },
    ]);
    expect(utc.customers.map((x: { name: string; messages: number }) => [x.name, x.messages])).toEqual([
      ['Мария Иванова', 2],
      ['Пётр Сидоров', 1],
    ]);
    const csv = await t.as(
      t.admin,
      'GET',
      `/api/v1/search/mentions/customers.csv?q=${encodeURIComponent('заказ')}`,
    );
    expect(csv.statusCode).toBe(200);
    expect(parseCsv(csv.body)).toEqual([
      ['Contact ID', 'Name', 'Phone', 'E-mail', 'Messages', 'Conversations', 'First', 'Last'],
      [
        utc.customers[0].contactId,
        'Мария Иванова',
        "'+7 999 000-11-22",
        '',
        '2',
        '1',
        '2024-03-10 20:00:00',
        '2024-03-12 10:00:00',
      ],
      [
        utc.customers[1].contactId,
        'Пётр Сидоров',
        '',
        '',
        '1',
        '1',
        '2024-03-11 10:00:00',
        '2024-03-11 10:00:00',
      ],
    ]);
    const tz = await t.as(t.admin, 'PUT', '/api/v1/account/time-zone', { timeZone: 'Asia/Vladivostok' });
    expect(tz.statusCode, tz.body).toBe(200);
    const local = await get();
    expect(local.byDay).toEqual([
      { day: '2024-03-11', messages: 2, conversations: 2, customers: 2 },
      { day: '2024-03-12', messages: 1, conversations: 1, customers: 1 },
    ]);
    expect((await get(t.admin, { direction: 'out' })).totals).toEqual({
      messages: 1,
      conversations: 1,
      customers: 1,
    });
    expect((await get(c.other.session)).totals).toEqual({ messages: 1, conversations: 1, customers: 1 });
    const bad = await t.as(t.admin, 'PUT', '/api/v1/account/time-zone', { timeZone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    const byOperator = await t.as(c.operator, 'PUT', '/api/v1/account/time-zone', { timeZone: 'UTC' });
    expect(byOperator.statusCode).toBe(403);
    await t.as(t.admin, 'PUT', '/api/v1/account/time-zone', { timeZone: 'UTC' });
  });
});
