import type { DialectName } from '../../src/infra/db/database.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { expireLeases, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';
import { WebhookReceiver } from '../lib/webhook-receiver.ts';
import { WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface WebhookKillOptions {
  dialect: DialectName;
  messages: number;
  contacts: number;
  /** Kill once this share of the expected deliveries has been accepted by the receiver. */
  killAt: number;
  downMs: number;
  /** Short form: release the dead node's job leases at once instead of waiting the 60 s lease out. */
  fastForwardLeases: boolean;
  receiverLatencyMs: [number, number];
}

/**
 * 8. `kill -9` while outgoing webhooks are being delivered: customers write, each message is one
 * `message.created` delivery to a CRM; the node dies mid-stream. Every event must reach the CRM (0 lost),
 * a repeat only with the delivery id it had before, every request signed, and a conversation's events in
 * the order they happened.
 */
export function webhookKill(o: WebhookKillOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('8', `kill -9 during webhook delivery (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect);
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    const crm = await new WebhookReceiver().start();
    crm.latencyMs = o.receiverLatencyMs;
    try {
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault webhooks');
      const hook = await admin.call<{ id: string; secret: string }>('POST', '/api/v1/webhooks', {
        url: crm.url,
        events: ['message.created'],
      });
      if (hook.status !== 201)
        throw new Error(`webhook creation failed: ${hook.status} ${JSON.stringify(hook.body)}`);
      crm.secret = hook.body.secret;

      const messages = inboundMessages(`f8-${Date.now().toString(36)}`, o.messages, o.contacts);
      const sim = new WebhookSimulator(messages, {
        url: `${server.url}/webhooks/api/${channel.id}`,
        secret: channel.secret,
        concurrency: 16,
        timeoutMs: 5000,
        backoffBaseMs: 100,
        backoffCapMs: 2000,
        deadlineMs: 180_000,
      });
      const started = Date.now();
      const burst = sim.run();

      const killAfter = Math.max(1, Math.floor(o.messages * o.killAt));
      await pollUntil(() => crm.acceptedEvents.size >= killAfter, 120_000, 2);
      const acceptedAtKill = crm.acceptedEvents.size;
      const killedPid = server.pid;
      await server.kill();
      const leased = (await jobCounts(env.db.db))['webhook.deliver/running'] ?? 0;
      await sleep(o.downMs);
      const released = o.fastForwardLeases ? await expireLeases(env.db.db) : 0;
      const startMs = await server.start();
      const restartedAt = Date.now();
      await burst;

      const stored = async () =>
        env.db.db.kysely
          .selectFrom('messages')
          .select(['id', 'conversation_id'])
          .where('channel_id', '=', channel.id)
          .where('direction', '=', 'in')
          .orderBy('id')
          .execute();
      const deliveryRows = () =>
        env.db.db.kysely.selectFrom('webhook_deliveries').select(['id', 'event_id', 'status']).execute();
      const settled = await pollUntil(
        async () => {
          const rows = await deliveryRows();
          const msgs = await stored();
          return msgs.length === o.messages &&
            rows.length === msgs.length &&
            rows.every((d) => d.status === 'delivered')
            ? rows
            : undefined;
        },
        o.fastForwardLeases ? 45_000 : 150_000,
        200,
        () => !server.running,
      );
      const settledAfter = Date.now() - restartedAt;
      const rows = settled ?? (await deliveryRows());
      const msgs = await stored();
      const jobs = await jobCounts(env.db.db);

      const accepted = crm.accepted();
      const acceptedMessages = new Set(accepted.map((d) => d.messageId));
      const lost = msgs.filter((m) => !acceptedMessages.has(m.id));
      const idsPerEvent = new Map<string, Set<string>>();
      for (const d of crm.deliveries)
        idsPerEvent.set(d.eventId, (idsPerEvent.get(d.eventId) ?? new Set()).add(d.deliveryId));
      const twoIds = [...idsPerEvent].filter(([, ids]) => ids.size > 1);
      const perEvent = new Map<string, number>();
      for (const d of accepted) perEvent.set(d.eventId, (perEvent.get(d.eventId) ?? 0) + 1);
      const duplicates = [...perEvent.values()].filter((n) => n > 1).length;
      const badSignatures = crm.deliveries.filter((d) => !d.signatureOk).length;
      // Message ids are time-ordered in creation order: each conversation's first acceptances must ascend.
      const firstSeen = new Map<string, string[]>();
      const seen = new Set<string>();
      for (const d of accepted) {
        if (seen.has(d.messageId)) continue;
        seen.add(d.messageId);
        firstSeen.set(d.conversationId, [...(firstSeen.get(d.conversationId) ?? []), d.messageId]);
      }
      const outOfOrder = [...firstSeen].filter(([, ids]) => ids.some((id, i) => i > 0 && id < ids[i - 1]!));

      r.sent.push(
        `${o.messages} customer messages from ${o.contacts} customers; one endpoint subscribed to message.created`,
        `${sim.acked} inbound webhooks acknowledged in ${seconds(Date.now() - started)}`,
      );
      r.fault.push(
        `kill -9 (pid ${killedPid}) after the CRM accepted ${acceptedAtKill} events; ${leased} deliveries leased by the dead node`,
        `restarted after ${o.downMs} ms (start ${startMs} ms)`,
        o.fastForwardLeases
          ? `job leases of the dead node released at once (${released} jobs) instead of waiting 60 s`
          : 'job leases of the dead node waited out (60 s)',
      );
      r.stored.push(
        `${msgs.length} messages, ${rows.length} deliveries (${histogram(countBy(rows.map((d) => d.status)))})`,
        settled ? `all delivered ${seconds(settledAfter)} after the restart` : 'NOT all delivered in time',
      );
      r.delivered.push(
        `${crm.deliveries.length} requests, ${accepted.length} accepted, ${acceptedMessages.size} distinct events`,
        `${duplicates} events accepted more than once; ${badSignatures} bad signatures; ${outOfOrder.length} conversations out of order`,
      );
      r.figure('messages', o.messages);
      r.figure('acceptedAtKill', acceptedAtKill);
      r.figure('leasedAtKill', leased);
      r.figure('duplicates', duplicates);
      r.figure('settledAfterRestartMs', settledAfter);

      r.check(
        'the kill landed mid-stream',
        acceptedAtKill > 0 && acceptedAtKill < o.messages,
        `${acceptedAtKill}/${o.messages}`,
      );
      r.check('every message stored once', msgs.length === o.messages, `${msgs.length}/${o.messages}`);
      r.check('0 lost: every event accepted by the CRM', lost.length === 0, `missing ${lost.length}`);
      r.check(
        'every delivery settled as delivered',
        settled !== undefined,
        histogram(countBy(rows.map((d) => d.status))),
      );
      r.check(
        'a repeat carries the same delivery id (one id per event)',
        twoIds.length === 0 && rows.length === new Set(rows.map((d) => d.event_id)).size,
        `${twoIds.length} events with two ids`,
      );
      r.check(
        'repeats only for deliveries the dead node held',
        duplicates <= leased,
        `${duplicates} repeated, ${leased} leased at the kill`,
      );
      r.check('every request signed (timestamp.body, fresh)', badSignatures === 0, `${badSignatures} bad`);
      r.check('order per conversation kept', outOfOrder.length === 0, `${outOfOrder.length} out of order`);
      r.check('no dead job', !Object.keys(jobs).some((k) => k.endsWith('/dead')), histogram(jobs));
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await crm.stop();
      await env.cleanup();
    }
  });
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
