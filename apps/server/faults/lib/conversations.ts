import type { Db } from '../../src/infra/db/database.ts';
import type { ConsoleClient } from './console-client.ts';
import type { ProviderRequest } from './fake-provider.ts';
import { pollUntil } from './wait.ts';
import { WebhookSimulator, inboundMessages } from './webhook-simulator.ts';

/** `count` customers write in (signed webhooks, no faults); resolves with their conversation ids. */
export async function openConversations(
  base: string,
  db: Db,
  channel: { id: string; secret: string },
  prefix: string,
  count: number,
): Promise<string[]> {
  const sim = new WebhookSimulator(inboundMessages(prefix, count, count), {
    url: `${base}/webhooks/api/${channel.id}`,
    secret: channel.secret,
    concurrency: 8,
    timeoutMs: 5000,
    backoffBaseMs: 100,
    backoffCapMs: 1000,
    deadlineMs: 60_000,
  });
  await sim.run();
  if (sim.acked !== count) throw new Error(`setup: only ${sim.acked}/${count} customer messages accepted`);
  const ids = await pollUntil(
    async () => {
      const rows = await db.kysely
        .selectFrom('conversations')
        .select('id')
        .where('channel_id', '=', channel.id)
        .orderBy('id')
        .execute();
      return rows.length === count ? rows.map((r) => r.id) : undefined;
    },
    60_000,
    100,
  );
  if (!ids) throw new Error(`setup: ${count} conversations did not appear`);
  return ids;
}

/** The replies an operator queued, per conversation in the order they were accepted (202). */
export interface ReplyPlan {
  byConversation: Map<string, string[]>;
  all: string[];
  /** POSTs repeated (same clientMessageId) because the node did not answer. */
  retriedPosts: number;
}

/**
 * Queues `perConversation` replies in each conversation through POST /conversations/:id/messages: one
 * conversation's replies one after another (its intended order), `parallel` conversations at a time.
 * Like the console's composer, a POST the node did not answer (it is down, or 5xx) is repeated with
 * the same clientMessageId until accepted, which never duplicates.
 */
export async function queueReplies(
  client: ConsoleClient,
  conversationIds: string[],
  perConversation: number,
  prefix: string,
  parallel = 8,
  deadlineMs = 180_000,
): Promise<ReplyPlan> {
  const plan: ReplyPlan = { byConversation: new Map(), all: [], retriedPosts: 0 };
  const deadline = Date.now() + deadlineMs;
  const post = async (convId: string, c: number, i: number): Promise<string> => {
    for (;;) {
      try {
        const res = await client.call<{ id: string }>('POST', `/api/v1/conversations/${convId}/messages`, {
          text: `Reply ${i} in conversation ${c}`,
          clientMessageId: `${prefix}-${c}-${i}`,
        });
        if (res.status === 202) return res.body.id;
        if (res.status < 500) throw new Error(`reply refused: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (err) {
        if ((err as Error).message.startsWith('reply refused')) throw err;
      }
      if (Date.now() > deadline) throw new Error(`reply ${c}/${i} not accepted within ${deadlineMs} ms`);
      plan.retriedPosts++;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  let next = 0;
  const worker = async () => {
    for (let c = next++; c < conversationIds.length; c = next++) {
      const convId = conversationIds[c]!;
      const ids: string[] = [];
      plan.byConversation.set(convId, ids);
      for (let i = 0; i < perConversation; i++) {
        const id = await post(convId, c, i);
        ids.push(id);
        plan.all.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return plan;
}

/**
 * Per-conversation order as the provider saw it. A violation is a request for a reply made before the
 * reply written just before it (same conversation) had been accepted, or first acceptances out of order.
 */
export function orderViolations(plan: ReplyPlan, requests: ProviderRequest[]): string[] {
  const firstAccepted = new Map<string, number>();
  for (const [i, r] of requests.entries()) {
    if (r.answer.status < 300 && !firstAccepted.has(r.deliveryId)) firstAccepted.set(r.deliveryId, i);
  }
  const violations: string[] = [];
  for (const [convId, ids] of plan.byConversation) {
    const position = new Map(ids.map((id, i) => [id, i]));
    for (const [i, r] of requests.entries()) {
      const p = position.get(r.deliveryId);
      if (p === undefined || p === 0) continue;
      const before = firstAccepted.get(ids[p - 1]!);
      if (before === undefined || before > i) {
        violations.push(`conversation ${convId}: reply ${p} sent before reply ${p - 1} was accepted`);
      }
    }
    const accepted = ids.map((id) => firstAccepted.get(id)).filter((a) => a !== undefined);
    if (accepted.some((a, i) => i > 0 && a < accepted[i - 1]!)) {
      violations.push(`conversation ${convId}: accepted out of order`);
    }
  }
  return violations;
}
