import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { addOperator, postInbound } from '../routing/routing-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('custom attributes (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true, apiChannel: {} });
  const define = (body: unknown) => t.as(t.admin, 'POST', '/api/v1/attribute-definitions', body);

  /** The attributes of the examples: five on contacts, two on conversations. */
  async function defineAll() {
    const defs = [
      { entity: 'contact', key: 'plan', label: 'Plan', type: 'list', options: ['free', 'gold'] },
      { entity: 'contact', key: 'renewal', label: 'Renewal', type: 'date' },
      { entity: 'contact', key: 'seats', label: 'Seats', type: 'number' },
      { entity: 'contact', key: 'vip', label: 'VIP', type: 'checkbox' },
      { entity: 'contact', key: 'crm', label: 'CRM card', type: 'link' },
      { entity: 'conversation', key: 'order_number', label: 'Order', type: 'text' },
      { entity: 'conversation', key: 'refund', label: 'Refund', type: 'checkbox' },
    ];
    for (const d of defs) {
      const res = await define(d);
      expect(res.statusCode, res.body).toBe(201);
    }
  }

  /** Two customers, each with a conversation. */
  async function twoCustomers() {
    await postInbound(t, t.channel, 'anna', 'Hello');
    await postInbound(t, t.channel, 'boris', 'Hi');
    await t.drainJobs();
    const convs = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items as {
      id: string;
      contact: { id: string; name: string };
    }[];
    const of = (name: string) => convs.find((c) => c.contact.name === `Customer ${name}`)!;
    return { anna: of('anna'), boris: of('boris') };
  }

  it('lets an admin define typed attributes and refuses bad definitions', async () => {
    await defineAll();
    const list = (await t.as(t.admin, 'GET', '/api/v1/attribute-definitions?entity=conversation')).json();
    expect(list.items.map((d: { key: string }) => d.key)).toEqual(['order_number', 'refund']);
    expect(
      (await define({ entity: 'contact', key: 'plan', label: 'Again', type: 'text' })).json().error.code,
    ).toBe('conflict');
    // The same key on the other entity is another attribute.
    expect(
      (await define({ entity: 'conversation', key: 'plan', label: 'Plan', type: 'text' })).statusCode,
    ).toBe(201);
    expect((await define({ entity: 'contact', key: 'tier', label: 'Tier', type: 'list' })).statusCode).toBe(
      400,
    );
    expect((await define({ entity: 'contact', key: 'Bad Key', label: 'X', type: 'text' })).statusCode).toBe(
      400,
    );
    const op = await addOperator(t, 'Olga');
    expect(
      (
        await t.as(op, 'POST', '/api/v1/attribute-definitions', {
          entity: 'contact',
          key: 'x',
          label: 'X',
          type: 'text',
        })
      ).statusCode,
    ).toBe(403);
    // Operators read the definitions (the side panel draws its fields from them).
    expect((await t.as(op, 'GET', '/api/v1/attribute-definitions')).json().items).toHaveLength(8);
    const plan = list.items[0];
    const renamed = await t.as(t.admin, 'PATCH', `/api/v1/attribute-definitions/${plan.id}`, {
      label: 'Order no.',
    });
    expect(renamed.json()).toMatchObject({ key: 'order_number', label: 'Order no.', type: 'text' });
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/attribute-definitions/${plan.id}`, { options: ['a'] }))
        .statusCode,
    ).toBe(400);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/attribute-definitions/${plan.id}`)).statusCode).toBe(204);
    const audit = (await t.as(t.admin, 'GET', '/api/v1/audit-log?targetType=attribute')).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('attribute.deleted');
  });

  it('checks values by type on PATCH, and filters contacts and conversations by them', async () => {
    await defineAll();
    const s = await twoCustomers();
    const patchContact = (id: string, attributes: unknown) =>
      t.as(t.admin, 'PATCH', `/api/v1/contacts/${id}`, { attributes });
    for (const [attributes, message] of [
      [{ seats: 'five' }, 'attributes.seats: expected a number'],
      [{ plan: 'platinum' }, 'attributes.plan: expected one of: free, gold'],
      [{ renewal: '2026-02-30' }, 'attributes.renewal: expected a date as YYYY-MM-DD'],
      [{ vip: 'yes' }, 'attributes.vip: expected true or false'],
      [{ crm: 'javascript:alert(1)' }, 'attributes.crm: expected an http(s) link'],
    ] as const) {
      const bad = await patchContact(s.anna.contact.id, attributes);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'validation_error', message });
    }
    const ok = await patchContact(s.anna.contact.id, {
      plan: 'gold',
      seats: 5,
      renewal: '2026-03-01',
      vip: true,
      crm: 'https://crm.example.com/anna',
      note: 'free-form keys stay allowed on contacts',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().attributes).toMatchObject({ plan: 'gold', seats: 5, vip: true });
    expect((await patchContact(s.boris.contact.id, { plan: 'free', seats: 12, vip: false })).statusCode).toBe(
      200,
    );

    const conv = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.anna.id}`, {
      attributes: { order_number: 'A-15', refund: true },
    });
    expect(conv.statusCode, conv.body).toBe(200);
    expect(conv.json().attributes).toEqual({ order_number: 'A-15', refund: true });
    const unknown = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.boris.id}`, {
      attributes: { colour: 'red' },
    });
    expect(unknown.json().error.message).toBe('attributes.colour: no such attribute is defined');
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.boris.id}`, { attributes: { refund: 'no' } }))
        .statusCode,
    ).toBe(400);
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.boris.id}`, { attributes: { refund: false } });

    const contactsWhere = async (q: string) =>
      ((await t.as(t.admin, 'GET', `/api/v1/contacts?${q}`)).json().items as { name: string }[]).map(
        (c) => c.name,
      );
    expect(await contactsWhere('attribute=plan:gold')).toEqual(['Customer anna']);
    expect(await contactsWhere('attribute=seats:12')).toEqual(['Customer boris']);
    expect(await contactsWhere('attribute=vip:true')).toEqual(['Customer anna']);
    expect(await contactsWhere('attribute=vip:false&attribute=plan:free')).toEqual(['Customer boris']);
    expect(await contactsWhere('attribute=renewal:2026-03-01')).toEqual(['Customer anna']);
    expect(await contactsWhere('attribute=note:free-form%20keys%20stay%20allowed%20on%20contacts')).toEqual([
      'Customer anna',
    ]);
    const badFilter = await t.as(t.admin, 'GET', '/api/v1/contacts?attribute=seats:many');
    expect(badFilter.json().error.code).toBe('validation_error');

    const convsWhere = async (q: string) =>
      ((await t.as(t.admin, 'GET', `/api/v1/conversations?${q}`)).json().items as { id: string }[]).map(
        (c) => c.id,
      );
    expect(await convsWhere('attribute=refund:true')).toEqual([s.anna.id]);
    expect(await convsWhere('attribute=refund:false')).toEqual([s.boris.id]);
    expect(await convsWhere('attribute=order_number:A-15')).toEqual([s.anna.id]);

    // Null removes a value.
    const cleared = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.anna.id}`, {
      attributes: { refund: null },
    });
    expect(cleared.json().attributes).toEqual({ order_number: 'A-15' });
  });

  it('fills template variables, drives rule conditions and adds export columns', async () => {
    await defineAll();
    const s = await twoCustomers();
    await t.as(t.admin, 'PATCH', `/api/v1/contacts/${s.anna.contact.id}`, {
      attributes: { plan: 'gold', seats: 5 },
    });

    const rule = await t.as(t.admin, 'POST', '/api/v1/automation-rules', {
      name: 'Refunds are urgent',
      event: 'conversation.updated',
      match: 'all',
      conditions: [
        { field: 'conversation.attributes.refund', op: 'eq', value: true },
        { field: 'contact.attributes.plan', op: 'eq', value: 'gold' },
      ],
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.anna.id}`, {
      attributes: { order_number: 'A-15', refund: true },
    });
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${s.boris.id}`, { attributes: { refund: true } });
    await t.drainJobs();
    const priority = async (id: string) =>
      (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json().priority;
    expect(await priority(s.anna.id)).toBe('urgent');
    expect(await priority(s.boris.id)).toBe('none');

    const tpl = await t.as(t.admin, 'POST', '/api/v1/templates', {
      name: 'Refund',
      shortcut: 'refund',
      text: 'Order {{conversation.attributes.order_number}} on the {{contact.attributes.plan}} plan ({{contact.attributes.seats}} seats)',
      scope: 'everyone',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect(tpl.json().variables).toContainEqual({
      name: 'conversation.attributes.order_number',
      known: true,
    });
    const rendered = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.json().id}/render`, {
      conversationId: s.anna.id,
    });
    expect(rendered.json()).toMatchObject({ text: 'Order A-15 on the gold plan (5 seats)', unresolved: [] });

    const start = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'conversations', format: 'xlsx' });
    expect(start.statusCode, start.body).toBe(202);
    await t.drainJobs();
    const file = (await t.as(t.admin, 'GET', `/api/v1/exports/${start.json().id}/download`)).rawPayload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const row = (n: number) =>
      Array.from({ length: ws.columnCount }, (_, i) => ws.getRow(n).getCell(i + 1).value ?? null);
    const header = row(1);
    expect(header.slice(-7)).toEqual([
      'Contact: Plan',
      'Contact: Renewal',
      'Contact: Seats',
      'Contact: VIP',
      'Contact: CRM card',
      'Conversation: Order',
      'Conversation: Refund',
    ]);
    const annaRow = [2, 3].map(row).find((r) => r[0] === s.anna.id)!;
    expect(annaRow.slice(-7)).toEqual(['gold', null, 5, null, null, 'A-15', 'true']);
  });
});
