import { expect } from 'vitest';
import { seedUser } from '../../../test/seed.ts';
import type { Session, TestApp } from '../../../test/test-app.ts';
import { signApiBody } from '../channels/api/api-signature.ts';

/** Builders shared by the routing suites: real API-channel webhooks, operators, routing settings. */

export interface ApiChannel {
  id: string;
  secret: string;
}

export async function createApiChannel(
  t: TestApp,
  opts: { callbackUrl?: string; teamId?: string; name?: string } = {},
): Promise<ApiChannel> {
  const res = await t.as(t.admin, 'POST', '/api/v1/channels', {
    type: 'api',
    name: opts.name ?? 'Shop',
    settings: opts.callbackUrl ? { callbackUrl: opts.callbackUrl } : {},
    teamId: opts.teamId ?? null,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, secret: res.json().connection.secret };
}

let seq = 0;

/** A customer's message through the channel's signed webhook; returns nothing until jobs are drained. */
export async function postInbound(
  t: TestApp,
  ch: ApiChannel,
  customer: string,
  text = 'Hello',
  timestamp?: number,
): Promise<void> {
  seq++;
  const raw = JSON.stringify({
    eventId: `evt-${seq}-${Math.random().toString(36).slice(2)}`,
    contact: { externalId: customer, name: `Customer ${customer}` },
    message: { externalId: `msg-${seq}-${Math.random().toString(36).slice(2)}`, text, timestamp },
  });
  const res = await t.app.inject({
    method: 'POST',
    url: `/webhooks/api/${ch.id}`,
    headers: { 'content-type': 'application/json', 'x-switchboard-signature': signApiBody(ch.secret, raw) },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

export async function setRouting(t: TestApp, channelId: string, body: unknown): Promise<void> {
  const res = await t.as(t.admin, 'PUT', `/api/v1/channels/${channelId}/routing`, body);
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * The "Moscow office" schedule (weekdays 09:00–18:00 Moscow time, plus `exceptions` when given) that
 * business-hours suites run against; answers its id.
 */
export async function createOfficeSchedule(t: TestApp, exceptions?: unknown[]): Promise<string> {
  const nine = [{ from: '09:00', to: '18:00' }];
  const s = await t.as(t.admin, 'POST', '/api/v1/schedules', {
    name: 'Moscow office',
    timeZone: 'Europe/Moscow',
    weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine },
    ...(exceptions ? { exceptions } : {}),
  });
  expect(s.statusCode, s.body).toBe(201);
  return s.json().id as string;
}

export interface Operator extends Session {
  name: string;
}

/** An operator (directly seeded, then signed in) with presence and capacity set. */
export async function addOperator(
  t: TestApp,
  name: string,
  opts: { capacity?: number; online?: boolean } = {},
): Promise<Operator> {
  const email = `${name.toLowerCase()}@example.com`;
  const userId = await seedUser(t.ctx, t.admin.accountId, email, 'operator');
  await t.ctx.db.kysely.updateTable('users').set({ name }).where('id', '=', userId).execute();
  await setPresence(t, userId, opts.online ?? true, opts.capacity ?? 10);
  return { ...(await t.login(email, 'operator-password')), name };
}

/** Writes presence directly (no routing side effects), for arranging a scene. */
export async function setPresence(t: TestApp, userId: string, online: boolean, capacity?: number) {
  await t.ctx.db.kysely
    .updateTable('memberships')
    .set({ availability: online ? 'online' : 'offline', ...(capacity !== undefined ? { capacity } : {}) })
    .where('user_id', '=', userId)
    .where('account_id', '=', t.admin.accountId)
    .execute();
}

/** The conversation of a customer on a channel (newest), as the API shows it. */
export async function conversationOf(t: TestApp, customer: string) {
  const row = await t.ctx.db.kysely
    .selectFrom('conversations as c')
    .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
    .select('c.id')
    .where('i.external_id', '=', customer)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .executeTakeFirstOrThrow();
  const res = await t.as(t.admin, 'GET', `/api/v1/conversations/${row.id}`);
  return res.json() as {
    id: string;
    assigneeId: string | null;
    status: string;
    lastInboundAt: number | null;
    [field: string]: unknown;
  };
}

export async function messagesOf(t: TestApp, conversationId: string) {
  const res = await t.as(t.admin, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=200`);
  return res.json().items as {
    id: string;
    authorKind: string;
    contentKind: string;
    text: string | null;
    private: boolean;
    deliveryStatus: string | null;
    direction: string;
  }[];
}

/** Outbound, non-private messages written by the system (automatic messages). */
export async function automaticMessages(t: TestApp, conversationId: string) {
  return (await messagesOf(t, conversationId)).filter(
    (m) => m.authorKind === 'system' && m.contentKind === 'text' && !m.private,
  );
}

/** Jobs of a type still waiting (e.g. delayed timers). */
export async function pendingJobs(t: TestApp, type: string) {
  return t.ctx.db.kysely
    .selectFrom('jobs')
    .select(['id', 'run_at', 'payload'])
    .where('type', '=', type)
    .where('status', '=', 'pending')
    .execute();
}
