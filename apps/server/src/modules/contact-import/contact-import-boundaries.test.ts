import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { runCli } from '../../../test/run-cli.ts';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TwilioSandbox } from '../../sandbox/twilio-sandbox.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

import { BUSINESS, type Contact, T0, importKit } from './contact-import-kit.ts';

/** Where an import stops: another account's data, the customer's own opt-out, who a broadcast reaches. */
describe.each(await testDialects())('contact import across tenants and broadcasts (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callbacks.url }) });
  const callbacks = useCallbackServer();

  const { csv, contacts, byName } = importKit(t);

  it("keeps tenants apart: another account's channel is unknown here, its contacts untouched", async () => {
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'globex@example.com',
      password: 'globex password',
      name: 'Gil',
    });
    const gil = await t.login('globex@example.com', 'globex password');
    const theirs = await t.as(gil, 'POST', '/api/v1/channels', { type: 'api', name: 'Globex', settings: {} });
    const theirChannel = theirs.json().id as string;
    const seeded = await csv(
      gil,
      'externalId,name\nshared-1,Globex customer\n',
      `source=g&channelId=${theirChannel}`,
    );
    expect(seeded.json()).toMatchObject({ created: 1 });

    const intoTheirs = await csv(
      t.admin,
      'externalId,name\nshared-1,Hijack\n',
      `source=a&channelId=${theirChannel}`,
    );
    expect(intoTheirs.statusCode).toBe(404);
    const perRow = await csv(
      t.admin,
      `channelId,externalId,name\n${theirChannel},shared-1,Hijack\n`,
      'source=a',
    );
    expect(perRow.json()).toMatchObject({
      created: 0,
      skipped: 1,
      errors: [{ row: 2, message: `channelId: no channel "${theirChannel}" in this account` }],
    });
    const ours = await csv(
      t.admin,
      'externalId,name\nshared-1,Acme customer\n',
      `source=a&channelId=${t.channel.id}`,
    );
    expect(ours.json()).toMatchObject({ created: 1 });
    expect((await contacts(gil)).map((c) => c.name)).toEqual(['Globex customer']);
    expect((await contacts()).map((c) => c.name)).toEqual(['Acme customer']);
  });

  it.runIf(dialect === 'sqlite')(
    'imports from the CLI, printing the counts and the skipped rows',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-import-'));
      const file = join(dir, 'contacts.csv');
      writeFileSync(file, '\uFEFFname;externalId;labels\nОльга;cli-1;VIP\nNo id;;\n');
      const run = (args: string[]) => runCli(t, ['import-contacts', ...args]);
      const args = [
        '--account',
        t.admin.accountId,
        '--channel',
        t.channel.id,
        '--source',
        'CRM 2026-11',
        '--opt-in',
      ];
      const r = run([...args, file]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split('\n')).toEqual([
        'import-contacts: 2 rows: 1 created, 0 updated, 0 unchanged, 1 skipped',
        'row 3: skipped: externalId: missing',
        '',
      ]);
      const olga = (await byName('Ольга'))!;
      expect(olga).toMatchObject({ labels: ['VIP'], consent: [{ scope: 'api', status: 'opted_in' }] });
      const entry = await t.ctx.db.kysely
        .selectFrom('audit_log')
        .select(['user_id', 'details'])
        .where('action', '=', 'contacts.imported')
        .executeTakeFirstOrThrow();
      expect(entry.user_id).toBeNull();
      expect(JSON.parse(entry.details)).toMatchObject({ source: 'CRM 2026-11', created: 1 });
      const missing = run([...args, join(dir, 'nope.csv')]);
      expect(missing.status).toBe(1);
      expect(missing.stderr.trim()).toMatch(/^switchboard: Cannot read .*nope\.csv: ENOENT$/);
      const noAccount = run(['--account', 'nope', '--source', 'x', file]);
      expect(noAccount.stderr.trim()).toBe('switchboard: Account nope not found');
    },
    120_000,
  );

  it('an imported opted-in contact gets a broadcast through the API channel; one without opt-in does not', async () => {
    const res = await csv(
      t.admin,
      'name,externalId,labels,optIn\nOpted In,sub-1,Newsletter,true\nNot Asked,sub-2,Newsletter,\n',
      `source=${encodeURIComponent('signup form 2026-11')}&channelId=${t.channel.id}`,
    );
    expect(res.json()).toMatchObject({ created: 2 });
    const b = await t.as(t.admin, 'POST', '/api/v1/broadcasts', {
      channelId: t.channel.id,
      label: 'Newsletter',
      text: 'Our November news',
    });
    expect(b.statusCode, b.body).toBe(202);
    await t.drainJobs();
    const done = (await t.as(t.admin, 'GET', `/api/v1/broadcasts/${b.json().id}`)).json();
    expect(done).toMatchObject({ status: 'done', counts: { total: 2, queued: 1, windowClosed: 1 } });
    expect(callbacks.received).toHaveLength(1);
    expect(callbacks.received[0]!.body).toMatchObject({
      contact: { externalId: 'sub-1' },
      message: { text: 'Our November news' },
    });
  });
});

describe.each(await testDialects())("contact import and the customer's own opt-out (%s)", (dialect) => {
  let sandbox: TwilioSandbox;
  let t: TestApp;

  beforeAll(async () => {
    sandbox = await new TwilioSandbox().start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await sandbox.settle();
    await t.close();
  });

  it('an import opt-in never lifts a STOP; the phone column is the SMS address; the contact is updated, not doubled', async () => {
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const acct = sandbox.createAccount('Acme SMS');
    sandbox.addNumber(acct.accountSid, BUSINESS);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: { cookie: t.admin.cookie, 'x-csrf-token': t.admin.csrf, host: new URL(base).host },
      payload: {
        type: 'twilio_sms',
        name: 'Acme',
        settings: { ...acct, fromNumber: BUSINESS, apiBaseUrl: sandbox.url },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const sms = created.json().id as string;
    sandbox.setWebhook(acct.accountSid, BUSINESS, created.json().connection.webhookUrl);
    await sandbox.customerTexts(acct.accountSid, { from: '+15557654321', to: BUSINESS, body: 'STOP' });
    await sandbox.settle();
    await t.drainJobs();

    const queued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import?source=crm&optIn=true&channelId=${sms}`,
      headers: { cookie: t.admin.cookie, 'x-csrf-token': t.admin.csrf, 'content-type': 'text/csv' },
      payload: 'name;phone\nMaria;+1 (555) 765-4321\nNew Person;+1 555 000 2222\nLocal;8 900 000 00 00\n',
    });
    expect(queued.statusCode, queued.body).toBe(202);
    await t.drainJobs();
    const res = await t.as(t.admin, 'GET', `/api/v1/contacts/imports/${queued.json().id}`);
    expect(res.json()).toMatchObject({
      created: 1,
      updated: 1,
      skipped: 1,
      errors: [{ row: 4, message: expect.stringMatching(/^phone: "8 900 000 00 00" is not a phone number/) }],
      warnings: [
        {
          row: 2,
          message:
            'optIn: not recorded: the customer opted out of SMS themselves; only they can opt in again',
          issues: [{ field: 'optIn', code: 'opt_in_refused', scope: 'sms' }],
        },
      ],
    });
    const list = (await t.as(t.admin, 'GET', '/api/v1/contacts')).json().items as Contact[];
    expect(list).toHaveLength(2);
    const maria = list.find((c) => c.name === 'Maria')!;
    expect(maria).toMatchObject({
      phone: '+1 (555) 765-4321',
      identities: [{ externalId: '+15557654321' }],
      consent: [{ scope: 'sms', status: 'opted_out' }],
    });
    const consent = (await t.as(t.admin, 'GET', `/api/v1/contacts/${maria.id}/consent`)).json().items;
    expect(consent).toEqual([
      expect.objectContaining({
        status: 'opted_out',
        optOutVia: 'keyword',
        optOutSource: 'STOP',
        optInVia: null,
      }),
    ]);
    const newcomer = list.find((c) => c.name === 'New Person')!;
    expect(newcomer).toMatchObject({
      identities: [{ externalId: '+15550002222' }],
      consent: [{ scope: 'sms', status: 'opted_in' }],
    });
  });
});
