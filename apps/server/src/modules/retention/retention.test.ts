import { REPLAY_TOO_OLD } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/node-services.ts';
import { SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { JobStatus } from '../../infra/queue/job-queue.port.ts';
import { transact } from '../events/unit-of-work.ts';
import { RETENTION_JOB, ensureRetentionJob } from './retention.job.ts';
import { runRetention } from './retention.service.ts';

const DAY = 24 * 3_600_000;

describe.each(await testDialects())('Retention (%s)', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
  const start = clock.now();

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      clock,
      env: { RETENTION_ACCOUNT_EVENTS_HOURS: '48', RETENTION_ACCOUNT_EVENTS_KEEP: '5' },
    });
    server = await serveWithGateway(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const k = () => t.ctx.db.kysely;

  async function job(status: JobStatus, ageMs: number, type = 'test.noop'): Promise<string> {
    const id = await k()
      .transaction()
      .execute((tx) => t.ctx.queue.enqueue(tx, { type, payload: {} }));
    await k()
      .updateTable('jobs')
      .set({ status, updated_at: clock.now() - ageMs })
      .where('id', '=', id)
      .execute();
    return id;
  }

  async function inboundEvent(
    ageMs: number,
    processed: boolean,
    dead: 'no' | 'unresolved' | 'discarded' = 'no',
  ): Promise<string> {
    const channel = await k().selectFrom('channels').select('id').executeTakeFirst();
    let channelId = channel?.id;
    if (!channelId) {
      const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'API', settings: {} });
      channelId = res.json().id as string;
    }
    const id = newId(clock.now());
    await k()
      .insertInto('inbound_events')
      .values({
        id,
        account_id: t.admin.accountId,
        channel_id: channelId,
        provider_event_id: `evt-${id}`,
        payload: '{}',
        received_at: clock.now() - ageMs,
        processed_at: processed ? clock.now() - ageMs + 1000 : null,
        failed_at: dead === 'no' ? null : clock.now() - ageMs + 1000,
        last_error: dead === 'no' ? null : 'boom',
        discarded_at: dead === 'discarded' ? clock.now() - ageMs + 2000 : null,
      })
      .execute();
    return id;
  }

  it('removes exactly the old finished jobs and processed inbound events, in batches', async () => {
    const jobs = {
      oldDone: await job('done', 8 * DAY),
      newDone: await job('done', 6 * DAY),
      oldDead: await job('dead', 31 * DAY),
      newDead: await job('dead', 29 * DAY),
      oldPending: await job('pending', 90 * DAY),
      oldRunning: await job('running', 90 * DAY),
    };
    const extraOldDone = await Promise.all(Array.from({ length: 9 }, () => job('done', 10 * DAY)));
    const events = {
      oldProcessed: await inboundEvent(31 * DAY, true),
      newProcessed: await inboundEvent(29 * DAY, true),
      // Never processed (waiting, or dead and unresolved): kept however old.
      oldUnprocessed: await inboundEvent(120 * DAY, false),
      oldDeadUnresolved: await inboundEvent(120 * DAY, false, 'unresolved'),
      oldDeadDiscarded: await inboundEvent(40 * DAY, false, 'discarded'),
    };

    const report = await runRetention(t.ctx, t.ctx.config.retention, 4);
    expect(report).toMatchObject({ doneJobs: 10, deadJobs: 1, inboundEvents: 2 });
    const leftJobs = new Set((await k().selectFrom('jobs').select('id').execute()).map((r) => r.id));
    expect(leftJobs.has(jobs.oldDone)).toBe(false);
    expect(leftJobs.has(jobs.oldDead)).toBe(false);
    for (const id of extraOldDone) expect(leftJobs.has(id)).toBe(false);
    for (const id of [jobs.newDone, jobs.newDead, jobs.oldPending, jobs.oldRunning])
      expect(leftJobs.has(id)).toBe(true);
    const leftEvents = new Set(
      (await k().selectFrom('inbound_events').select('id').execute()).map((r) => r.id),
    );
    expect([...leftEvents].sort()).toEqual(
      [events.newProcessed, events.oldUnprocessed, events.oldDeadUnresolved].sort(),
    );

    // A second pass finds nothing more: the policy is idempotent.
    expect(await runRetention(t.ctx)).toMatchObject({ doneJobs: 0, deadJobs: 0, inboundEvents: 0 });
  });

  it('prunes account events beyond the replay horizon; a console asking for them is told to reload', async () => {
    const emit = (n: number) =>
      transact(t.ctx, async (uow) => {
        for (let i = 0; i < n; i++)
          uow.emit(t.admin.accountId, 'presence.updated', { userId: t.admin.userId, availability: 'online' });
      });
    const before = (
      await k().selectFrom('accounts').select('event_seq').where('id', '=', t.admin.accountId).execute()
    )[0]!.event_seq;
    clock.set(start + 30 * DAY);
    await emit(20);
    clock.advance(3 * DAY);
    await emit(3);
    clock.advance(3 * DAY);
    await emit(4);
    const seq = before + 27;

    const report = await runRetention(t.ctx, t.ctx.config.retention, 6);
    // An event goes when it is older than the horizon (48 h) and not among the newest 5 of the account:
    // the 4 recent ones stay, and one of the 3 older ones because of the keep count.
    const left = (
      await k()
        .selectFrom('account_events')
        .select('seq')
        .where('account_id', '=', t.admin.accountId)
        .orderBy('seq')
        .execute()
    ).map((r) => Number(r.seq));
    expect(report.accountEvents).toBe(before + 22);
    expect(left).toEqual([seq - 4, seq - 3, seq - 2, seq - 1, seq]);

    // The clock moved weeks on: sign in again.
    const { cookie } = await t.login(t.admin.email, t.admin.password);
    // Reconnecting from inside the horizon replays the rest, as before.
    const near = await SocketProbe.connect(server.url, { cookie, lastSeq: seq - 3 });
    expect(near.resyncs).toEqual([]);
    expect(near.events.map((e) => e.seq)).toEqual([seq - 2, seq - 1, seq]);
    near.close();

    // From before the horizon: no partial replay, a clear code and the sequence to resume from.
    const far = await SocketProbe.connect(server.url, { cookie, lastSeq: 3 });
    expect(far.resyncs).toEqual([{ code: REPLAY_TOO_OLD, seq }]);
    expect(far.events).toEqual([]);
    expect(far.readySeq).toBe(seq);
    // Live events continue after the resync.
    await emit(1);
    await waitUntil('the live event', () => far.events.length === 1);
    expect(far.events[0]!.seq).toBe(seq + 1);
    // A `sync` from the past answers the same way.
    const ack = await far.socket.timeout(5000).emitWithAck('sync', { afterSeq: 1 });
    expect(ack).toEqual({ seq: seq + 1 });
    expect(far.resyncs).toHaveLength(2);
    far.close();
  });

  it('is scheduled as one periodic job that the worker runs', async () => {
    await k().deleteFrom('jobs').where('type', '=', RETENTION_JOB).execute();
    expect(await ensureRetentionJob(t.ctx)).toBe(true);
    expect(await ensureRetentionJob(t.ctx)).toBe(false);
    const waiting = await k().selectFrom('jobs').selectAll().where('type', '=', RETENTION_JOB).execute();
    expect(waiting).toHaveLength(1);
    await t.drainJobs();
    expect((await t.ctx.queue.get(waiting[0]!.id))?.status).toBe('done');
    expect(await ensureRetentionJob(t.ctx)).toBe(true);
  });
});
