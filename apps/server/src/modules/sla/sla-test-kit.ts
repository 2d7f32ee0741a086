import type { ConversationSla } from '@switchboard/shared';
import { expect } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import type { AppFixture } from '../../../test/use-test-app.ts';
import { conversationOf, postInbound } from '../routing/routing-test-kit.ts';

/** The SLA suites' steps on a `useTestApp` with a clock and an API channel; `t0` is the suite's start. */
export function slaKit(t: AppFixture, t0: number) {
  const at = (ms: number) => t.clock.set(t0 + ms);
  const inbound = async (customer: string, text = 'Hello') => {
    await postInbound(t, t.channel, customer, text);
    await t.drainJobs();
  };
  const reply = async (id: string, who: Session = t.admin) => {
    const r = await t.as(who, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'On it',
      clientMessageId: `c-${Math.random().toString(36).slice(2)}`,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    await t.drainJobs();
  };
  const patch = async (id: string, body: unknown) => {
    const r = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, body);
    expect(r.statusCode, r.body).toBe(200);
    await t.drainJobs();
  };
  const policy = async (body: Record<string, unknown>) => {
    const r = await t.as(t.admin, 'POST', '/api/v1/sla-policies', { name: 'Standard', ...body });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; position: number };
  };
  const breaches = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('account_events')
        .select('payload')
        .where('type', '=', 'sla.breached')
        .orderBy('seq')
        .execute()
    ).map((r) => JSON.parse(r.payload));
  const slaOf = async (customer: string) => (await conversationOf(t, customer)).sla as ConversationSla;
  return { at, inbound, reply, patch, policy, breaches, slaOf };
}
