import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailWorld, SMTP_LOGIN, SUPPORT_LOGIN } from '../../../../test/mail-harness.ts';
import { freePort } from '../../../../test/node-process.ts';
import { type TestApp, createTestApp } from '../../../../test/test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';

const dialects = await testDialects();

/**
 * Both logins are tried before an e-mail channel is saved, against the real servers; each way it can
 * fail is named for the admin (which server, and whether DNS, the connection, TLS or the login).
 */
describe.each(dialects)('E-mail channel: logins tested before saving (%s)', (dialect) => {
  const world = new MailWorld();
  let t: TestApp;
  let closedPort: number;

  beforeAll(async () => {
    await world.start();
    t = await createTestApp(dialect);
    closedPort = await freePort();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await world.stop();
  });

  type Patch = { smtp?: Record<string, unknown>; imap?: Record<string, unknown> };
  const create = (patch: Patch) => {
    const base = world.settings() as { smtp: Record<string, unknown>; imap: Record<string, unknown> };
    return t.as(t.admin, 'POST', '/api/v1/channels', {
      type: 'email',
      name: 'Mail',
      settings: { ...base, smtp: { ...base.smtp, ...patch.smtp }, imap: { ...base.imap, ...patch.imap } },
    });
  };

  it.each<[string, Patch, string, string, RegExp]>([
    ['an unknown SMTP host', { smtp: { host: 'no-such-host.invalid' } }, 'smtp', 'dns', /does not resolve/],
    ['a closed SMTP port', { smtp: { port: 0 } }, 'smtp', 'refused', /refused/],
    ['TLS against a plain SMTP port', { smtp: { secure: true } }, 'smtp', 'tls', /TLS/],
    ['a wrong SMTP password', { smtp: { password: 'wrong-password' } }, 'smtp', 'auth', /login was refused/],
    ['a closed IMAP port', { imap: { port: 0 } }, 'imap', 'refused', /refused/],
    ['TLS against a plain IMAP port', { imap: { secure: true } }, 'imap', 'tls', /TLS/],
    ['a wrong IMAP password', { imap: { password: 'wrong-password' } }, 'imap', 'auth', /login was refused/],
    ['a missing IMAP folder', { imap: { mailbox: 'Nope' } }, 'imap', 'protocol', /Nope/],
  ])('refuses %s, saying so', async (_what, patch, server, failure, words) => {
    for (const p of [patch.smtp, patch.imap]) if (p?.port === 0) p.port = closedPort;
    const res = await create(patch);
    expect(res.statusCode, res.body).toBe(400);
    const err = res.json().error;
    expect(err).toMatchObject({ code: 'validation_error', details: { server, failure } });
    expect(err.message).toMatch(words);
    expect(err.message).toMatch(new RegExp(`^settings\\.${server}`));
    expect(await t.ctx.db.kysely.selectFrom('channels').select('id').execute()).toEqual([]);
  });

  it('saves the channel when both logins work, keeping the passwords out of its settings', async () => {
    const res = await create({});
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.ctx.db.kysely.selectFrom('channels').selectAll().executeTakeFirstOrThrow();
    expect(row.settings).not.toContain(SMTP_LOGIN.password);
    expect(row.settings).not.toContain(SUPPORT_LOGIN.password);
    expect(JSON.stringify(res.json())).not.toContain(SUPPORT_LOGIN.password);
  });
});
