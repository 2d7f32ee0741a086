import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { parseCsv } from '../../lib/csv.ts';
import { buildCorpus, type Corpus, DAY0 } from '../search/search-corpus.fixture.ts';

const dialects = await testDialects();

describe.each(dialects)('templates API (%s)', (dialect) => {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
  });

  const create = async (s: Session, body: Record<string, unknown>) =>
    t.as(s, 'POST', '/api/v1/templates', body);
  const list = async (s: Session, qs = '') => {
    const res = await t.as(s, 'GET', `/api/v1/templates${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as { id: string; shortcut: string; scope: string; name: string }[];
  };

  it('creates, lists, changes and deletes templates with scope rules and per-scope shortcuts', async () => {
    const everyone = await create(t.admin, {
      name: 'Greeting',
      shortcut: '/Hello',
      text: 'Здравствуйте, {{contact.first_name}}! Меня зовут {{operator.name}}.',
      scope: 'everyone',
    });
    expect(everyone.statusCode, everyone.body).toBe(201);
    expect(everyone.json()).toMatchObject({
      shortcut: 'hello',
      scope: 'everyone',
      variables: [
        { name: 'contact.first_name', known: true },
        { name: 'operator.name', known: true },
      ],
    });
    const dup = await create(t.admin, { name: 'Again', shortcut: 'hello', text: 'x', scope: 'everyone' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    // The same shortcut in another scope is fine: a personal one shadows nothing on the server.
    const mine = await create(c.operator, {
      name: 'My hello',
      shortcut: 'hello',
      text: 'Hi!',
      scope: 'personal',
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const team = await create(t.admin, {
      name: 'VIP',
      shortcut: 'vip',
      text: 'VIP line here',
      scope: 'team',
      teamId: c.vip.teamId,
    });
    expect(team.statusCode, team.body).toBe(201);
    expect((await create(t.admin, { name: 'T', shortcut: 't', text: 'x', scope: 'team' })).statusCode).toBe(
      400,
    );
    // Operators may not write shared templates.
    const opShared = await create(c.operator, { name: 'X', shortcut: 'x', text: 'x', scope: 'everyone' });
    expect(opShared.statusCode).toBe(403);
    expect(
      (await create(t.admin, { name: 'Bad', shortcut: 'a b', text: 'x', scope: 'everyone' })).statusCode,
    ).toBe(400);

    // The operator is not in the VIP team: sees the account's and their own, not the team's.
    expect((await list(c.operator)).map((x) => [x.scope, x.shortcut])).toEqual([
      ['everyone', 'hello'],
      ['personal', 'hello'],
    ]);
    expect((await list(t.admin)).map((x) => x.shortcut)).toEqual(['hello', 'vip']);
    expect((await list(c.operator, '?q=HI')).map((x) => x.name)).toEqual(['My hello']);
    expect((await list(c.operator, '?q=зовут')).map((x) => x.name)).toEqual(['Greeting']);
    expect((await t.as(c.operator, 'GET', `/api/v1/templates/${team.json().id}`)).statusCode).toBe(404);
    expect((await t.as(t.admin, 'GET', `/api/v1/templates/${mine.json().id}`)).statusCode).toBe(404);

    const patched = await t.as(c.operator, 'PATCH', `/api/v1/templates/${mine.json().id}`, {
      text: 'Hi there!',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().text).toBe('Hi there!');
    const opEdit = await t.as(c.operator, 'PATCH', `/api/v1/templates/${everyone.json().id}`, {
      name: 'Mine now',
    });
    expect(opEdit.statusCode).toBe(403);
    const del = await t.as(c.operator, 'DELETE', `/api/v1/templates/${mine.json().id}`);
    expect(del.statusCode).toBe(204);
    expect((await list(c.operator)).map((x) => x.shortcut)).toEqual(['hello']);

    // Another account sees none of it and gets 404 for our ids.
    expect(await list(c.other.session)).toEqual([]);
    const foreign = await t.as(c.other.session, 'PATCH', `/api/v1/templates/${everyone.json().id}`, {
      name: 'x',
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('renders variables for a conversation and flags unknown or empty ones instead of sending them raw', async () => {
    const attr = await t.as(t.admin, 'GET', `/api/v1/conversations/${c.conv.maria}`);
    const contactId = attr.json().contact.id;
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/contacts/${contactId}`, { attributes: { order: 'A-15' } }))
        .statusCode,
    ).toBe(200);
    const tpl = await create(t.admin, {
      name: 'Status',
      shortcut: 'status',
      text:
        '{{ contact.first_name }}, заказ {{contact.attributes.order}} ({{conversation.id}}). ' +
        '{{contact.email}}{{contact.attributes.city | ваш город}} {{contact.attributes.zip}}{{bogus}} — {{operator.first_name}}',
      scope: 'everyone',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect(tpl.json().variables).toContainEqual({ name: 'bogus', known: false });
    const res = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.json().id}/render`, {
      conversationId: c.conv.maria,
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.text).toBe(`Мария, заказ A-15 (${c.conv.maria}). ваш город  — Ada`);
    expect(r.text).not.toMatch(/\{\{|\}\}/);
    const at = (s: string) => r.text.indexOf(s);
    expect(r.unresolved).toEqual([
      { variable: 'contact.email', reason: 'empty', offset: at('ваш город') },
      {
        variable: 'contact.attributes.zip',
        reason: 'unknown',
        offset: at('ваш город') + 'ваш город '.length,
      },
      { variable: 'bogus', reason: 'unknown', offset: at('ваш город') + 'ваш город '.length },
    ]);
    // A conversation the operator may not see, or of another account, is 404.
    const hidden = await t.as(c.operator, 'POST', `/api/v1/templates/${tpl.json().id}/render`, {
      conversationId: c.conv.alice,
    });
    expect(hidden.statusCode).toBe(404);
    const foreign = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.json().id}/render`, {
      conversationId: c.other.conv,
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('exports the list as CSV and imports it back all-or-nothing', async () => {
    const exported = await t.as(t.admin, 'GET', '/api/v1/templates/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(exported.body);
    expect(rows[0]).toEqual(['name', 'shortcut', 'scope', 'team', 'text']);
    expect(rows.find((r) => r[1] === '/vip')).toEqual(['VIP', '/vip', 'team', 'VIP desk', 'VIP line here']);

    const csv = [
      'name,shortcut,scope,team,text',
      'Greeting,/hello,everyone,,"Добрый день, {{contact.name}}!\nЧем помочь?"',
      'Refund,refund,team,VIP desk,Деньги вернём за 3 дня',
      `Formula,formula,everyone,,"'=1+1 is text"`,
    ].join('\r\n');
    const post = (s: Session, body: string, qs = '') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/templates/import${qs}`,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' },
        payload: body,
      });
    const dry = await post(t.admin, csv, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ created: 2, updated: 1, dryRun: true });
    expect((await list(t.admin)).map((x) => x.shortcut)).not.toContain('refund');
    const done = await post(t.admin, csv);
    expect(done.json()).toEqual({ created: 2, updated: 1, dryRun: false });
    const all = await t.as(t.admin, 'GET', '/api/v1/templates?q=добрый');
    expect(all.json().items.map((x: { text: string }) => x.text)).toEqual([
      'Добрый день, {{contact.name}}!\nЧем помочь?',
    ]);
    const formula = (await t.as(t.admin, 'GET', '/api/v1/templates?q=formula')).json().items[0];
    expect(formula.text).toBe('=1+1 is text');

    const bad = await post(
      t.admin,
      [
        'name,shortcut,scope,team,text',
        'Ok,fine,everyone,,Fine',
        'No team,nt,team,Nowhere,x',
        ',empty,everyone,,x',
      ].join('\n'),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    expect(bad.json().error.details).toEqual([
      { row: 3, message: 'team: no team "Nowhere" in this account' },
      { row: 4, message: 'name: 1-200 characters' },
    ]);
    expect((await list(t.admin)).map((x) => x.shortcut)).not.toContain('fine');
    // An operator importing a shared template is refused for that row; nothing is written.
    const byOperator = await post(c.operator, 'name,shortcut,scope,text\nShared,shared,everyone,x\n');
    expect(byOperator.statusCode).toBe(400);
    expect(byOperator.json().error.details[0].message).toMatch(/personal templates/);
    const noHeader = await post(t.admin, 'just,some,text\n');
    expect(noHeader.statusCode).toBe(400);
    const unclosed = await post(t.admin, 'name,shortcut,text\n"open,x,y\n');
    expect(unclosed.statusCode).toBe(400);
  });
});
