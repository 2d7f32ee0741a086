import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailWorld, SUPPORT_ADDRESS, SUPPORT_LOGIN } from './mail-harness.ts';
import { NodeProcess, runCli } from './node-process.ts';
import { appendMail } from './smtp-relay.ts';
import { type TestDatabase, createTestDatabase, testDialects } from './test-db.ts';

// Real processes on one PostgreSQL: the cluster the IMAP lease is for.
const services = (await testDialects()).includes('postgres');
const LEASE_SECONDS = 4;

const mail = (id: string, subject: string) =>
  [
    'From: Erin <erin@customer.test>',
    `To: ${SUPPORT_ADDRESS}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    `Date: ${new Date().toUTCString()}`,
    '',
    `About ${subject}.`,
    '',
  ].join('\r\n');

/**
 * Two `switchboard start` processes read one e-mail channel's mailbox: exactly one holds its IMAP
 * connection (the lease in the database); killed with SIGKILL, the holder gives nothing back, and the
 * other node takes the mailbox over once the lease runs out, reading the mail that came meanwhile.
 */
describe.skipIf(!services)('E-mail: a node killed while holding the IMAP lease', () => {
  const world = new MailWorld();
  let db: TestDatabase;
  let dataDir: string;
  let nodes: NodeProcess[] = [];
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    await world.start();
    db = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'sb-mailfail-'));
    const env = {
      DATABASE_URL: db.url,
      PGOPTIONS: `-c search_path=${db.schema}`,
      SWITCHBOARD_SECRET: 'email-failover-test-secret-0123456789',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ALLOW_PRIVATE_URLS: '127.0.0.1',
      WORKER_POLL_MS: '200',
      IMAP_LEASE_SECONDS: String(LEASE_SECONDS),
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
      env,
      dataDir,
    );
    expect(created.code, created.output).toBe(0);
    nodes = await Promise.all([
      NodeProcess.start('node A', env, dataDir),
      NodeProcess.start('node B', env, dataDir),
    ]);
    const res = await fetch(`${nodes[0]!.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('sb_session='))!
      .split(';')[0]!;
    session = { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }, 90_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    await world.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail')
      for (const n of nodes) console.error(`--- ${n.name} ---\n${n.log()}`);
  });

  const api = async (node: NodeProcess, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${node.url}${path}`, {
      method,
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> & { items?: unknown[] } };
  };
  const lease = () =>
    db.db.kysely.selectFrom('email_mailboxes').select(['holder', 'lease_until']).executeTakeFirst();
  const pidOf = (holder: string | null | undefined) => Number(holder?.split(':')[1]);
  const waitFor = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> => {
    let v = await read();
    const end = Date.now() + ms;
    while (!ok(v)) {
      if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 200));
      v = await read();
    }
    return v;
  };

  it('one node reads the mailbox; after it is killed the other takes over and reads what came', async () => {
    const created = await api(nodes[0]!, 'POST', '/api/v1/channels', {
      type: 'email',
      name: 'Support mail',
      settings: world.settings(),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const box = { imapUser: SUPPORT_LOGIN.user, imapPassword: SUPPORT_LOGIN.password };
    await appendMail(world.dovecot.port, box, mail('f1@customer.test', 'First'));
    const conversations = async () => (await api(nodes[0]!, 'GET', '/api/v1/conversations')).json.items ?? [];
    await waitFor(conversations, (c) => c.length === 1, 20_000);

    const held = await lease();
    const holder = nodes.find((n) => n.pid === pidOf(held?.holder))!;
    const other = nodes.find((n) => n !== holder)!;
    expect(holder, `lease holder ${held?.holder}`).toBeDefined();
    // Exactly one: the other node keeps its hands off while the lease is renewed.
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 1000));
    expect(pidOf((await lease())?.holder)).toBe(holder.pid);

    const killedAt = Date.now();
    await holder.kill();
    await appendMail(world.dovecot.port, box, mail('f2@customer.test', 'Second'));
    const all = async () => (await api(other, 'GET', '/api/v1/conversations')).json.items ?? [];
    await waitFor(all, (c) => c.length === 2, 60_000);
    const tookOver = Date.now() - killedAt;
    expect(pidOf((await lease())?.holder)).toBe(other.pid);
    // Within the lease plus a renewal tick (and the IMAP login), far inside a minute.
    expect(tookOver).toBeLessThan(LEASE_SECONDS * 1000 + 15_000);
    nodes = nodes.filter((n) => n !== holder);
  }, 120_000);
});
