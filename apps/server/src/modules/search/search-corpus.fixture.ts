import { expect } from 'vitest';
import type { Session, TestApp } from '../../../test/test-app.ts';
import type { ManualClock } from '../../infra/clock.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { signApiBody } from '../channels/api/api-signature.ts';

/**
 * One shared corpus for the search and export suites, written through the real paths: provider
 * webhooks + the inbound job for customer messages, the reply route for answers and notes.
 * Times are fixed so date filters and per-day counts have exact expectations.
 */
export const DAY0 = Date.UTC(2024, 2, 10);
export const at = (day: number, hour: number) => DAY0 + day * 86_400_000 + hour * 3_600_000;

export interface Corpus {
  shop: { id: string; secret: string };
  vip: { id: string; secret: string; teamId: string };
  /** Conversation id by customer key. */
  conv: Record<string, string>;
  /** Message id by corpus key. */
  msg: Record<string, string>;
  operator: Session;
  other: { session: Session; accountId: string; conv: string };
}

export const CUSTOMERS = {
  maria: { externalId: 'cust-maria', name: 'Мария Иванова', phone: '+7 999 000-11-22' },
  john: { externalId: 'cust-john', name: 'John Smith', email: 'john.smith@example.com' },
  petr: { externalId: 'cust-petr', name: 'Пётр Сидоров' },
  alice: { externalId: 'cust-alice', name: 'Alice Brown' },
  bob: { externalId: 'cust-bob', name: 'Bob' },
} as const;

export const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** Customer messages: key, customer, channel, time, text. */
export const INBOUND = [
  ['m1', 'maria', 'shop', at(0, 20), 'Где мой заказ? Жду уже неделю'],
  ['m2', 'john', 'shop', at(0, 21), 'I ordered a blue kettle last week'],
  ['m3', 'petr', 'shop', at(1, 10), 'Доставка заказом номер 15 опоздала'],
  ['m4', 'alice', 'vip', at(1, 11), 'Can you change the delivery address? The blue kettle is fine'],
  ['m5', 'john', 'shop', at(2, 9), 'My orders never arrived, blue and red kettle missing'],
  ['m6', 'maria', 'shop', at(2, 10), 'Спасибо, все заказы получила!'],
  ['m7', 'bob', 'shop', at(2, 11), FORMULA],
] as const;

async function post(t: TestApp, channel: { id: string; secret: string }, body: unknown) {
  const raw = JSON.stringify(body);
  const res = await t.app.inject({
    method: 'POST',
    url: `/webhooks/api/${channel.id}`,
    headers: {
      'content-type': 'application/json',
      'x-switchboard-signature': signApiBody(channel.secret, raw),
    },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function createChannel(t: TestApp, s: Session, name: string, teamId?: string) {
  const res = await t.as(s, 'POST', '/api/v1/channels', { type: 'api', name, settings: {}, teamId });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, secret: res.json().connection.secret as string };
}

export async function buildCorpus(t: TestApp, clock: ManualClock): Promise<Corpus> {
  const a = t.admin;
  const team = await t.as(a, 'POST', '/api/v1/teams', { name: 'VIP desk' });
  expect(team.statusCode, team.body).toBe(201);
  const teamId = team.json().id as string;
  const shop = await createChannel(t, a, 'Shop');
  const vip = { ...(await createChannel(t, a, 'VIP line', teamId)), teamId };
  const op = await t.as(a, 'POST', '/api/v1/users', {
    email: 'olga@example.com',
    name: 'Olga Operator',
    password: 'operator password 1',
    role: 'operator',
  });
  expect(op.statusCode, op.body).toBe(201);
  const operator = await t.login('olga@example.com', 'operator password 1');

  const conv: Record<string, string> = {};
  const msg: Record<string, string> = {};
  for (const [key, who, ch, time, text] of INBOUND) {
    clock.set(time);
    await post(t, ch === 'vip' ? vip : shop, {
      eventId: `evt-${key}`,
      contact: CUSTOMERS[who],
      message: { externalId: key, text },
    });
    await t.drainJobs();
    const row = await t.ctx.db.kysely
      .selectFrom('messages')
      .select(['id', 'conversation_id'])
      .where('provider_message_id', '=', key)
      .executeTakeFirstOrThrow();
    msg[key] = row.id;
    conv[who] = row.conversation_id;
  }
  clock.set(at(2, 12));
  const reply = await t.as(a, 'POST', `/api/v1/conversations/${conv.maria}/messages`, {
    text: 'Ваш заказ отправлен курьером',
    clientMessageId: 'reply-1',
  });
  expect(reply.statusCode, reply.body).toBe(202);
  msg.reply = reply.json().id;
  clock.set(at(2, 13));
  const note = await t.as(a, 'POST', `/api/v1/conversations/${conv.john}/messages`, {
    text: 'VIP client, order refund pending',
    clientMessageId: 'note-1',
    private: true,
  });
  expect(note.statusCode, note.body).toBe(201);
  msg.note = note.json().id;
  const patch = await t.as(a, 'PATCH', `/api/v1/conversations/${conv.john}`, { labels: ['refund'] });
  expect(patch.statusCode, patch.body).toBe(200);
  const assign = await t.as(a, 'PATCH', `/api/v1/conversations/${conv.maria}`, { assigneeId: a.userId });
  expect(assign.statusCode, assign.body).toBe(200);
  await t.drainJobs();

  // A second tenant with look-alike data that must never show up in the first one's results.
  await createAccountWithAdmin(t.ctx, {
    accountName: 'Other shop',
    email: 'boss@other.example',
    password: 'other admin password',
  });
  const otherSession = await t.login('boss@other.example', 'other admin password');
  const otherChannel = await createChannel(t, otherSession, 'Other');
  clock.set(at(1, 12));
  await post(t, otherChannel, {
    eventId: 'evt-x1',
    contact: { externalId: 'x-1', name: 'Мария Иванова', phone: '+7 999 000-11-22' },
    message: { externalId: 'x1', text: 'Мой заказ тоже потерялся, order lost, blue kettle' },
  });
  await t.drainJobs();
  const otherMsg = await t.ctx.db.kysely
    .selectFrom('messages')
    .select(['conversation_id'])
    .where('provider_message_id', '=', 'x1')
    .executeTakeFirstOrThrow();
  return {
    shop,
    vip,
    conv,
    msg,
    operator,
    other: { session: otherSession, accountId: otherSession.accountId, conv: otherMsg.conversation_id },
  };
}
