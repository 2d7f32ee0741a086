import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountEvent } from '@switchboard/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/infra/crypto/ids.ts';
import { addMembership } from '../src/modules/accounts/account.service.ts';
import { hashPassword } from '../src/modules/auth/password.ts';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';
import { FakeCallbackServer } from './fake-callback-server.ts';
import { NodeProcess, runCli } from './node-process.ts';
import { redisReachable, waitUntil } from './node-services.ts';
import { S3TestServer } from './s3-server.ts';
import { SocketProbe } from './socket-harness.ts';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, testDialects } from './test-db.ts';

// Real processes on one PostgreSQL, one Redis and one S3-compatible bucket, each with its own DATA_DIR:
// the deployment the embedded SQLite mode cannot be.
const services = (await testDialects()).includes('postgres') && (await redisReachable());

interface Login {
  cookie: string;
  csrf: string;
}

describe.skipIf(!services)('two nodes on one PostgreSQL, one Redis and one bucket', () => {
  let db: TestDatabase;
  let s3: S3TestServer;
  let dirA: string;
  let dirB: string;
  let callback: FakeCallbackServer;
  let a: NodeProcess;
  let b: NodeProcess;
  let admin: Login;
  let operator: Login;
  let channel: { id: string; secret: string };
  let socket: SocketProbe;
  let conversationId: string;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    dirA = mkdtempSync(join(tmpdir(), 'sb-multinode-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'sb-multinode-b-'));
    callback = await new FakeCallbackServer().start();
    s3 = await S3TestServer.start();
    const env = {
      ...S3TestServer.env(await s3.bucket('switchboard-files')),
      DATABASE_URL: db.url,
      // node-postgres reads PGOPTIONS: both nodes work in this suite's private schema.
      PGOPTIONS: `-c search_path=${db.schema}`,
      REDIS_URL: TEST_REDIS_URL,
      SWITCHBOARD_SECRET: 'multi-node-test-secret-0123456789',
      LOG_LEVEL: 'warn',
      // The fake callback receiver listens on loopback.
      ALLOW_PRIVATE_URLS: '127.0.0.1',
      // Far above what the test allows per reply: jobs must start through the bus wake-up, not polling.
      WORKER_POLL_MS: '5000',
    };
    const created = await runCli(
      [
        'create-admin',
        '--email',
        'admin@example.com',
        '--password',
        'correct horse battery',
        '--account',
        'Acme',
      ],
      { ...env, DATA_DIR: dirA },
      dirA,
    );
    expect(created.code, created.output).toBe(0);
    [a, b] = await Promise.all([
      NodeProcess.start('node A', { ...env, DATA_DIR: dirA }, dirA),
      NodeProcess.start('node B', { ...env, DATA_DIR: dirB }, dirB),
    ]);
  }, 60_000);

  afterAll(async () => {
    socket?.close();
    const nodes = [a, b].filter((n): n is NodeProcess => n !== undefined);
    const codes = await Promise.all(nodes.map((n) => n.stop()));
    await callback?.stop();
    await db?.drop();
    await s3?.stop();
    for (const dir of [dirA, dirB]) if (dir) rmSync(dir, { recursive: true, force: true });
    // A graceful stop (SIGTERM → exit 0) is part of running as a service.
    for (const [i, code] of codes.entries()) expect(code, `${nodes[i]!.name}:\n${nodes[i]!.log()}`).toBe(0);
  }, 30_000);

  afterEach((ctx) => {
    // What the servers said is the first thing one needs when a multi-process test fails.
    if (ctx.task.result?.state === 'fail') {
      for (const n of [a, b]) if (n) console.error(`--- ${n.name} output ---\n${n.log()}`);
    }
  });

  async function login(node: NodeProcess, email: string, password: string): Promise<Login> {
    const res = await fetch(`${node.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='))!;
    return { cookie: cookie.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  async function call(node: NodeProcess, who: Login, method: string, path: string, body?: unknown) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('an inbound message posted to node A reaches an operator socket on node B', async () => {
    admin = await login(a, 'admin@example.com', 'correct horse battery');
    const res = await call(a, admin, 'POST', '/api/v1/channels', {
      type: 'api',
      name: 'Shop backend',
      settings: { callbackUrl: callback.url },
    });
    expect(res.status).toBe(201);
    channel = { id: res.body.id as string, secret: (res.body.connection as { secret: string }).secret };

    // An operator who exists only in the shared database, signed in on node B.
    const account = await db.db.kysely.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    const now = Date.now();
    const userId = newId(now);
    await db.db.kysely
      .insertInto('users')
      .values({
        id: userId,
        account_id: account.id,
        email: 'olga@example.com',
        name: 'Olga Operator',
        password_hash: await hashPassword('operator password'),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addMembership(db.db.kysely, account.id, userId, 'operator', now);
    operator = await login(b, 'olga@example.com', 'operator password');
    socket = await SocketProbe.connect(b.url, { cookie: operator.cookie });
    const from = socket.readySeq!;

    const raw = JSON.stringify({
      eventId: 'evt-1',
      contact: { externalId: 'cust-1', name: 'Мария' },
      message: { externalId: 'm-1', text: 'Hello from node A' },
    });
    const started = Date.now();
    const posted = await fetch(`${a.url}/webhooks/api/${channel.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(channel.secret, raw),
      },
      body: raw,
    });
    expect(posted.status).toBe(200);
    const created = await socket.waitForEvent((e) => e.type === 'message.created', 10_000);
    console.info(`inbound on A → socket on B: ${Date.now() - started} ms`);
    expect(created.payload).toMatchObject({ direction: 'in', text: 'Hello from node A' });
    expect(socket.seqs()).toEqual([from + 1, from + 2, from + 3]);
    conversationId = (created.payload as { conversationId: string }).conversationId;
  });

  it('200 replies sent through both nodes are each delivered exactly once', async () => {
    expect(conversationId).toBeDefined();
    const from = socket.seqs().at(-1)!;
    const started = Date.now();
    const ids: string[] = [];
    const send = async (i: number) => {
      const node = i % 2 === 0 ? a : b;
      const res = await call(node, operator, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
        text: `Reply ${i}`,
        clientMessageId: `reply-${i}`,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids[i] = res.body.id as string;
    };
    // 20 operators typing at once, alternating between the nodes.
    for (let batch = 0; batch < 200; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => send(batch + j)));
    }
    const accepted = Date.now();

    const deliveryIds = () => callback.received.map((r) => r.headers['x-switchboard-delivery'] as string);
    await waitUntil('all 200 callbacks', () => new Set(deliveryIds()).size >= 200, 30_000, 20);
    const delivered = Date.now();
    // Any duplicate would come from the other node's worker taking the same job: give it time to show.
    await new Promise((r) => setTimeout(r, 1500));
    console.info(
      `200 replies over 2 nodes: accepted in ${accepted - started} ms, all callbacks after ${delivered - started} ms`,
    );

    expect(callback.received).toHaveLength(200);
    expect(new Set(deliveryIds())).toEqual(new Set(ids));
    for (const r of callback.received) {
      const body = r.body as { message: { id: string; text: string } };
      expect(r.headers['x-switchboard-signature']).toBe(signApiBody(channel.secret, r.raw));
      expect(body.message.id).toBe(r.headers['x-switchboard-delivery']);
      expect(body.message.text).toBe(`Reply ${ids.indexOf(body.message.id)}`);
    }

    // Every reply ends as sent (the status is written just after the callback answered).
    const outbound = async () => {
      const all: { id: string; direction: string; deliveryStatus: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${cursor}` : '';
        const page = await call(
          b,
          operator,
          'GET',
          `/api/v1/conversations/${conversationId}/messages?limit=200${q}`,
        );
        all.push(...(page.body.items as typeof all));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      return all.filter((m) => m.direction === 'out');
    };
    const sent = await waitUntil(
      'all replies to be marked sent',
      async () => {
        const out = await outbound();
        return out.length === 200 && out.every((m) => m.deliveryStatus === 'sent') ? out : undefined;
      },
      10_000,
      100,
    );
    expect(new Set(sent.map((m) => m.id))).toEqual(new Set(ids));

    // The socket on node B saw every event of both nodes once, in one gap-free sequence.
    const last = (await socket.sync()).seq;
    const events = socket.events.filter((e) => e.seq > from);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
    const ofType = (type: AccountEvent['type']) => events.filter((e) => e.type === type);
    expect(new Set(ofType('message.created').map((e) => (e.payload as { id: string }).id))).toEqual(
      new Set(ids),
    );
    const sentUpdates = ofType('message.updated').filter(
      (e) => (e.payload as { deliveryStatus: string }).deliveryStatus === 'sent',
    );
    expect(sentUpdates).toHaveLength(200);
  }, 60_000);

  it('a reply starts at once on either node: the bus wakes the workers, nobody waits for a poll', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = callback.received.length;
      const started = Date.now();
      const res = await call(
        i % 2 ? b : a,
        operator,
        'POST',
        `/api/v1/conversations/${conversationId}/messages`,
        {
          text: `Quick ${i}`,
          clientMessageId: `quick-${i}`,
        },
      );
      expect(res.status).toBe(202);
      await waitUntil('the callback', () => callback.received.length > before, 10_000, 2);
      latencies.push(Date.now() - started);
    }
    latencies.sort((x, y) => x - y);
    console.info(`reply → callback latency (ms): median ${latencies[5]}, max ${latencies[9]}`);
    expect(latencies[5]).toBeLessThan(1000);
  });
  it('a file uploaded through node A is served by node B; neither writes files to its DATA_DIR', async () => {
    expect(conversationId).toBeDefined();
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(200_000, 'p'),
      Buffer.from('\n%%EOF\n'),
    ]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'invoice.pdf');
    const up = await fetch(`${a.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf },
      body: form,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const uploadId = ((await up.json()) as { id: string }).id;
    const note = await call(a, operator, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'The invoice',
      private: true,
      attachments: [{ uploadId }],
      clientMessageId: 'note-with-file',
    });
    expect(note.status, JSON.stringify(note.body)).toBeLessThan(300);
    const [att] = note.body.attachments as { id: string }[];

    const res = await fetch(`${b.url}/api/v1/attachments/${att!.id}`, {
      headers: { cookie: operator.cookie },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    // The bytes are in the bucket, under the upload's own key, and in neither node's folder.
    expect((await s3.keys('switchboard-files')).filter((k) => k.endsWith(uploadId))).toHaveLength(1);
    for (const dir of [dirA, dirB]) expect(existsSync(join(dir, 'files')), dir).toBe(false);
  });

  it('an export started on node A downloads from node B', async () => {
    const start = await call(a, admin, 'POST', '/api/v1/exports', { kind: 'messages', format: 'csv' });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const id = start.body.id as string;
    const adminOnB = await login(b, 'admin@example.com', 'correct horse battery');
    await waitUntil(
      'the export to finish',
      async () => (await call(b, adminOnB, 'GET', `/api/v1/exports/${id}`)).body.status === 'done',
      20_000,
      50,
    );
    const dl = await fetch(`${b.url}/api/v1/exports/${id}/download`, {
      headers: { cookie: adminOnB.cookie },
    });
    expect(dl.status).toBe(200);
    const csv = await dl.text();
    expect(csv).toContain('Hello from node A');
    expect(csv).toContain('Reply 199');
    expect(
      (await s3.keys('switchboard-files')).filter((k) => k.startsWith('exports/') && k.includes(id)),
    ).toHaveLength(1);
  });
});
