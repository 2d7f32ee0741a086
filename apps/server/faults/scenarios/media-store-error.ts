import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TelegramSandbox } from '../../src/sandbox/telegram-sandbox.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { jobCounts } from '../lib/store-queries.ts';
import { pollUntil } from '../lib/wait.ts';

export interface MediaStoreErrorOptions {
  photos: number;
  /** The file store stays broken at least this long (and until every download has been retried). */
  brokenMs: number;
}

/** A JPEG's magic bytes (what the sniffer checks) and a unique filler, so each photo has its own hash. */
const photo = (i: number) =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
    Buffer.from(`JFIF\0 fault photo ${i} `.repeat(40)),
  ]);

/**
 * 6. File store error during media download: Telegram customers send photos while the node's file
 * folder cannot be written (DATA_DIR/files is a plain file, so every write fails with ENOTDIR, even as
 * root). Each message must be stored at once with its attachment pending, the download retried, and
 * every file stored intact once the store works again.
 */
export function mediaStoreError(o: MediaStoreErrorOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('6', 'file store error on media download (postgres, Telegram sandbox)');
  return runScenario(report, async (r) => {
    const env = await createEnvironment('postgres');
    const sandbox = await new TelegramSandbox().start();
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    const filesDir = join(env.dataDir, 'files');
    try {
      writeFileSync(filesDir, 'not a folder: the file store cannot write here\n');
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const bot = sandbox.createBot({ username: 'fault_media_bot' });
      const created = await admin.call<{ id: string }>('POST', '/api/v1/channels', {
        type: 'telegram',
        name: 'Fault media',
        settings: { botToken: bot.token, apiBaseUrl: sandbox.url },
      });
      if (created.status !== 201)
        throw new Error(`telegram channel: ${created.status} ${JSON.stringify(created.body)}`);
      const channelId = created.body.id;

      const customer = { id: 7770001, first_name: 'Fault', last_name: 'Customer' };
      const hashes = new Set<string>();
      const webhookAnswers: Record<string, number> = {};
      for (let i = 0; i < o.photos; i++) {
        const bytes = photo(i);
        hashes.add(createHash('sha256').update(bytes).digest('hex'));
        const d = await sandbox.customerSends(bot.token, {
          from: customer,
          content: { photo: bytes, caption: `receipt ${i}` },
        });
        webhookAnswers[d.status] = (webhookAnswers[d.status] ?? 0) + 1;
      }
      const brokenAt = Date.now();

      const k = env.db.db.kysely;
      const attachments = () =>
        k
          .selectFrom('attachments')
          .innerJoin('messages', 'messages.id', 'attachments.message_id')
          .select([
            'attachments.id',
            'attachments.download_status',
            'attachments.sha256',
            'attachments.mime_type',
            'messages.body',
          ])
          .where('messages.channel_id', '=', channelId)
          .execute();
      const downloadJobs = () =>
        k
          .selectFrom('jobs')
          .select(['attempts', 'status', 'last_error'])
          .where('type', '=', 'media.download')
          .execute();

      // Every message is in, its attachment pending, and every download has failed and been retried.
      const whileBroken = await pollUntil(
        async () => {
          const atts = await attachments();
          const jobs = await downloadJobs();
          const retried = jobs.length === o.photos && jobs.every((j) => j.attempts >= 2 && j.last_error);
          return atts.length === o.photos && retried && Date.now() - brokenAt >= o.brokenMs
            ? { atts, jobs }
            : undefined;
        },
        o.brokenMs + 30_000,
        100,
        () => !server.running,
      );
      const pendingWhileBroken = whileBroken?.atts.filter((a) => a.download_status === 'pending').length ?? 0;
      const attemptsWhileBroken = whileBroken?.jobs.map((j) => j.attempts) ?? [];
      const errorSeen = whileBroken?.jobs[0]?.last_error ?? '(none)';

      rmSync(filesDir, { force: true });
      const repairedAt = Date.now();
      const stored = await pollUntil(
        async () => {
          const atts = await attachments();
          return atts.length === o.photos && atts.every((a) => a.download_status === 'stored')
            ? atts
            : undefined;
        },
        60_000,
        100,
        () => !server.running,
      );
      const storedAfter = Date.now() - repairedAt;
      const final = stored ?? (await attachments());
      const intact = final.filter((a) => a.sha256 !== null && hashes.has(a.sha256)).length;
      let served = 0;
      for (const a of final) {
        const got = await admin.bytes(`/api/v1/attachments/${a.id}`);
        if (got.status === 200 && hashes.has(createHash('sha256').update(got.body).digest('hex'))) served++;
      }
      const messages = await k
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('channel_id', '=', channelId)
        .executeTakeFirstOrThrow();
      const jobs = await jobCounts(env.db.db);
      const statusCounts: Record<string, number> = {};
      for (const a of final)
        statusCounts[a.download_status ?? 'null'] = (statusCounts[a.download_status ?? 'null'] ?? 0) + 1;

      r.sent.push(
        `${o.photos} photos from a Telegram customer (webhook answers: ${histogram(webhookAnswers)})`,
      );
      r.fault.push(
        `DATA_DIR/files replaced by a plain file: every write fails (${errorSeen.slice(0, 80)})`,
        `repaired after ${seconds(repairedAt - brokenAt)}; download attempts by then: ${attemptsWhileBroken.join(', ')}`,
      );
      r.stored.push(
        `while broken: ${whileBroken?.atts.length ?? 0} messages with attachments, ${pendingWhileBroken} pending`,
        `after repair: ${histogram(statusCounts)}, ${intact} with the sent file's SHA-256, ${stored ? `all stored ${seconds(storedAfter)} after the repair` : 'NOT all stored in time'}`,
        `${Number(messages.n)} messages on the channel; jobs: ${histogram(jobs)}`,
      );
      r.delivered.push(`${served}/${o.photos} files served back intact by GET /api/v1/attachments/:id`);
      r.figure('storedAfterRepairMs', storedAfter);

      r.check(
        'every webhook acknowledged while the store was broken',
        webhookAnswers[200] === o.photos,
        histogram(webhookAnswers),
      );
      r.check(
        'every message stored with its attachment pending',
        whileBroken !== undefined && pendingWhileBroken === o.photos,
        `${pendingWhileBroken}/${o.photos} pending`,
      );
      r.check(
        'downloads retried while broken',
        attemptsWhileBroken.every((n) => n >= 2),
        attemptsWhileBroken.join(', '),
      );
      r.check(
        'every file stored after the repair, intact',
        stored !== undefined && intact === o.photos,
        `${intact}/${o.photos}`,
      );
      r.check('served back intact', served === o.photos, `${served}/${o.photos}`);
      r.check(
        'no message lost or doubled, no dead job',
        Number(messages.n) === o.photos && !Object.keys(jobs).some((x) => x.endsWith('/dead')),
        histogram(jobs),
      );
    } finally {
      rmSync(filesDir, { force: true, recursive: true });
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await sandbox.stop();
      await env.cleanup();
    }
  });
}
