import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DialectName } from '../../src/infra/db/database.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { expireLeases, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';
import { WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface RuleKillOptions {
  dialect: DialectName;
  messages: number;
  contacts: number;
  /** Kill once this share of the rule runs has been committed. */
  killAt: number;
  downMs: number;
  fastForwardLeases: boolean;
}

interface Delivery {
  deliveryId: string;
  messageId: string;
  signatureOk: boolean;
}

/** A CRM receiving a rule's webhooks: keeps every delivery with the message it is about. */
async function startReceiver(
  secret: () => string,
): Promise<{ url: string; got: Delivery[]; server: Server }> {
  const got: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-switchboard-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret()).update(`${ts}.${raw}`).digest('hex')}`;
      const body = JSON.parse(raw) as { message?: { id?: string } };
      got.push({
        deliveryId: String(req.headers['x-switchboard-delivery'] ?? ''),
        messageId: body.message?.id ?? '',
        signatureOk: req.headers['x-switchboard-signature'] === expected,
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`, got, server };
}

/**
 * 9. `kill -9` while automation rules run: every customer message starts a rule (a private note and a
 * webhook to a CRM). After a restart each message must have exactly one rule run and one note (the run,
 * its actions and its log row commit together), and every webhook must have arrived, repeated only with
 * the same delivery id.
 */
export function ruleKill(o: RuleKillOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('9', `kill -9 while automation rules run (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect);
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    let secret = '';
    const crm = await startReceiver(() => secret);
    try {
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault rules');
      const rule = await admin.call<{ id: string; webhookSecret: string }>(
        'POST',
        '/api/v1/automation-rules',
        {
          name: 'Every customer message to the CRM',
          event: 'message.created',
          conditions: [{ field: 'message.direction', op: 'is', value: 'in' }],
          actions: [
            { type: 'add_note', text: 'Sent to the CRM' },
            { type: 'send_webhook', url: crm.url },
          ],
        },
      );
      if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
      secret = rule.body.webhookSecret;
      const db = env.db.db.kysely;
      const applied = async () =>
        Number(
          (
            await db
              .selectFrom('automation_executions')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('outcome', '=', 'applied')
              .executeTakeFirstOrThrow()
          ).n,
        );

      const prefix = `f8-${Date.now().toString(36)}`;
      const messages = inboundMessages(prefix, o.messages, o.contacts);
      const sim = new WebhookSimulator(messages, {
        url: `${server.url}/webhooks/api/${channel.id}`,
        secret: channel.secret,
        concurrency: 16,
        timeoutMs: 5000,
        backoffBaseMs: 100,
        backoffCapMs: 2000,
        deadlineMs: 180_000,
      });
      const burst = sim.run();
      const killAfter = Math.max(1, Math.floor(o.messages * o.killAt));
      await pollUntil(async () => (await applied()) >= killAfter, 120_000, 5);
      const appliedAtKill = await applied();
      const deliveredAtKill = crm.got.length;
      await server.kill();
      const leased = await jobCounts(env.db.db);
      await sleep(o.downMs);
      const released = o.fastForwardLeases ? await expireLeases(env.db.db) : 0;
      await server.start();
      const restartedAt = Date.now();
      await burst;

      const inboundIds = async () =>
        (
          await db
            .selectFrom('messages')
            .select('id')
            .where('channel_id', '=', channel.id)
            .where('direction', '=', 'in')
            .execute()
        ).map((m) => m.id);
      const settled = await pollUntil(
        async () => {
          const ids = await inboundIds();
          const seen = new Set(crm.got.map((d) => d.messageId));
          return ids.length === o.messages &&
            (await applied()) === o.messages &&
            ids.every((i) => seen.has(i))
            ? ids
            : undefined;
        },
        o.fastForwardLeases ? 60_000 : 150_000,
        200,
        () => !server.running,
      );
      const settledAfter = Date.now() - restartedAt;
      const ids = settled ?? (await inboundIds());
      const runs = await db
        .selectFrom('automation_executions')
        .select(['trigger_key', 'outcome'])
        .where('rule_id', '=', rule.body.id)
        .execute();
      const notes = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('channel_id', '=', channel.id)
        .where('private', '=', 1)
        .where('body', '=', 'Sent to the CRM')
        .executeTakeFirstOrThrow();
      const outcomes: Record<string, number> = {};
      for (const x of runs) outcomes[x.outcome] = (outcomes[x.outcome] ?? 0) + 1;
      const byMessage = new Map<string, Set<string>>();
      for (const d of crm.got)
        byMessage.set(d.messageId, (byMessage.get(d.messageId) ?? new Set()).add(d.deliveryId));
      const lost = ids.filter((i) => !byMessage.has(i));
      const repeated = crm.got.length - byMessage.size;
      const idChanged = [...byMessage.values()].filter((s) => s.size > 1).length;
      const jobs = await jobCounts(env.db.db);
      const dead = Object.entries(jobs).filter(([k]) => k.endsWith('/dead'));

      r.sent.push(
        `${o.messages} customer messages from ${o.contacts} customers; one rule: private note + webhook to a CRM`,
        `${sim.acked} acknowledged; ${sim.unacked().length} given up`,
      );
      r.fault.push(
        `kill -9 after ${appliedAtKill} rule runs committed (${Math.round((100 * appliedAtKill) / o.messages)}%), ${deliveredAtKill} webhooks delivered; jobs then: ${histogram(leased)}`,
        `restarted after ${o.downMs} ms; ${o.fastForwardLeases ? `${released} leases released at once` : 'leases waited out (60 s)'}`,
      );
      r.stored.push(
        `${ids.length} customer messages, ${runs.length} rule runs (${histogram(outcomes)}), ${Number(notes.n)} rule notes`,
        settled ? `all settled ${seconds(settledAfter)} after the restart` : 'NOT settled in time',
      );
      r.delivered.push(
        `${crm.got.length} webhook deliveries for ${byMessage.size} messages: ${repeated} repeated, ${idChanged} with a changed delivery id`,
      );
      r.figure('messages', o.messages);
      r.figure('appliedAtKill', appliedAtKill);
      r.figure('repeatedDeliveries', repeated);
      r.figure('settledAfterRestartMs', settledAfter);

      r.check(
        'the kill landed while rules ran',
        appliedAtKill > 0 && appliedAtKill < o.messages,
        `${appliedAtKill}/${o.messages}`,
      );
      r.check('every customer message stored', ids.length === o.messages, `${ids.length}/${o.messages}`);
      const keys = new Set(runs.map((x) => x.trigger_key));
      r.check(
        'exactly one rule run per message',
        runs.length === o.messages && keys.size === o.messages && runs.every((x) => x.outcome === 'applied'),
        `${runs.length} runs, ${keys.size} distinct events`,
      );
      r.check(
        'exactly one rule note per message (0 lost, 0 doubled)',
        Number(notes.n) === o.messages,
        `${notes.n}`,
      );
      r.check('every webhook delivered (0 lost)', lost.length === 0, `lost ${lost.length}`);
      r.check('a repeated delivery carries the same delivery id', idChanged === 0, `${idChanged} changed`);
      r.check(
        'every delivery correctly signed',
        crm.got.every((d) => d.signatureOk),
        '',
      );
      r.check('no dead job', dead.length === 0, histogram(jobs));
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      crm.server.close();
      await env.cleanup();
    }
  });
}
