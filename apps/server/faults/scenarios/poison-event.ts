import type { DialectName } from '../../src/infra/db/database.ts';
import { POISON_MARK, installPoisonTrigger } from '../../test/poison-trigger.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { jobCounts } from '../lib/store-queries.ts';
import { pollUntil } from '../lib/wait.ts';
import { WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface PoisonEventOptions {
  dialect: DialectName;
  /** Good messages; one poison message is sent among them (so `messages + 1` in all). */
  messages: number;
  contacts: number;
  concurrency: number;
}

interface DeadEventItem {
  id: string;
  providerEventId: string;
  status: string;
  lastError: string | null;
}

/**
 * 7. A poison event among good ones: one message the database refuses to store (a trigger stands in for
 * what NUL was to PostgreSQL) is sent in the middle of a burst. Every message must be acknowledged, every
 * good one delivered once, the poisoned customer's later messages must not wait behind it, and the bad
 * one must end up as a dead event an admin sees through the API, not vanish.
 */
export function poisonEvent(o: PoisonEventOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('7', `poison event among ${o.messages} good ones (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect);
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    try {
      await installPoisonTrigger(env.db.db.kysely, o.dialect);
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Poison burst');
      const prefix = `f7-${Date.now().toString(36)}`;
      const all = inboundMessages(prefix, o.messages + 1, o.contacts);
      const poisonIndex = Math.floor(all.length / 2);
      const poison = all[poisonIndex]!;
      poison.text = `${poison.text} ${POISON_MARK}`;
      const good = all.filter((m) => m !== poison);
      const sameCustomerLater = all.slice(poisonIndex + 1).filter((m) => m.contactId === poison.contactId);

      const sim = new WebhookSimulator(all, {
        url: `${server.url}/webhooks/api/${channel.id}`,
        secret: channel.secret,
        concurrency: o.concurrency,
        timeoutMs: 5000,
        backoffBaseMs: 100,
        backoffCapMs: 2000,
        deadlineMs: 120_000,
      });
      const started = Date.now();
      await sim.run();
      const burstMs = Date.now() - started;

      const k = env.db.db.kysely;
      const count = async () => {
        const events = await k
          .selectFrom('inbound_events')
          .select(['provider_event_id', 'processed_at', 'failed_at'])
          .where('channel_id', '=', channel.id)
          .execute();
        const msgs = await k
          .selectFrom('messages')
          .select('provider_message_id')
          .where('channel_id', '=', channel.id)
          .where('direction', '=', 'in')
          .execute();
        return { events, msgs };
      };
      const settled = await pollUntil(
        async () => {
          const c = await count();
          const pending = c.events.filter((e) => e.processed_at === null && e.failed_at === null).length;
          return c.events.length === all.length && pending === 0 ? c : undefined;
        },
        60_000,
        200,
        () => !server.running,
      );
      const settledMs = Date.now() - started;
      const { events, msgs } = settled ?? (await count());
      const perId = new Map<string, number>();
      for (const m of msgs)
        perId.set(m.provider_message_id ?? '', (perId.get(m.provider_message_id ?? '') ?? 0) + 1);
      const missing = good.filter((m) => !perId.has(m.messageId));
      const duplicated = [...perId].filter(([, n]) => n > 1);
      const laterMissing = sameCustomerLater.filter((m) => !perId.has(m.messageId));
      const processed = events.filter((e) => e.processed_at !== null).length;
      const deadRows = events.filter((e) => e.failed_at !== null);
      const unaccounted = events.filter((e) => e.processed_at === null && e.failed_at === null).length;
      const jobs = await jobCounts(env.db.db);
      const list = await admin.call<{ items: DeadEventItem[] }>('GET', '/api/v1/dead-events');
      const dead = list.body.items ?? [];

      r.sent.push(
        `${all.length} messages from ${o.contacts} customers (${o.messages} good + 1 poison, #${poisonIndex}), ${o.concurrency} in flight`,
        `${sim.requests()} requests: ${histogram(sim.outcomes())}; ${sim.acked} acknowledged in ${seconds(burstMs)}`,
      );
      r.fault.push(
        `the database refuses the poison message's row on every attempt (trigger: "${POISON_MARK}" in the text)`,
        `${sameCustomerLater.length} later messages of the same customer queued behind it`,
      );
      r.stored.push(
        `${events.length} inbound events: ${processed} processed, ${deadRows.length} dead, ${unaccounted} neither`,
        `${msgs.length} messages; good ones missing ${missing.length}, duplicated ${duplicated.length}`,
        settled ? `all settled ${seconds(settledMs)} after the burst began` : 'NOT all settled in time',
        `jobs: ${histogram(jobs)}`,
      );
      r.delivered.push(
        `GET /api/v1/dead-events → ${list.status}: ${dead.map((d) => `${d.providerEventId} (${d.status}: ${d.lastError ?? ''})`).join('; ') || 'none'}`,
      );
      r.figure('messages', all.length);
      r.figure('settledMs', settledMs);

      r.check('every message acknowledged', sim.acked === all.length, `${sim.acked}/${all.length}`);
      r.check(
        'every event stored, none lost',
        events.length === all.length,
        `${events.length}/${all.length}`,
      );
      r.check(
        `all ${o.messages} good messages delivered exactly once`,
        missing.length === 0 && duplicated.length === 0 && msgs.length === o.messages,
        `${msgs.length} messages, missing ${missing.length}, duplicated ${duplicated.length}`,
      );
      r.check(
        "the poisoned customer's later messages were not blocked",
        laterMissing.length === 0,
        `${sameCustomerLater.length - laterMissing.length}/${sameCustomerLater.length} delivered`,
      );
      r.check(
        'the bad one is a dead event, visible to the admin with its error',
        list.status === 200 &&
          dead.length === 1 &&
          dead[0]?.providerEventId === poison.eventId &&
          /poison message refused/.test(dead[0]?.lastError ?? '') &&
          deadRows.length === 1,
        `${dead.length} listed`,
      );
      r.check(
        'no event left unaccounted for (processed or dead)',
        unaccounted === 0 && processed === o.messages,
        `${processed} processed, ${deadRows.length} dead, ${unaccounted} neither`,
      );
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await env.cleanup();
    }
  });
}
