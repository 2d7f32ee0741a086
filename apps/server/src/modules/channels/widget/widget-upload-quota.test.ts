import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../../../test/test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { ManualClock } from '../../../infra/clock.ts';
import { runRetention } from '../../retention/retention.service.ts';
import { VISITOR_TOKEN_HEADER } from './widget-access.ts';
import { VisitorClient, createWidgetChannel } from './widget-test-kit.ts';

const HOUR = 3_600_000;
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);

describe.each(await testDialects())('Widget upload quotas and unsent-file cleanup (%s)', (dialect) => {
  let t: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 8, 0, 0));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock, env: { UPLOAD_UNUSED_TTL_HOURS: '2' } });
  });
  afterAll(async () => t?.close());

  /** A brand-new anonymous visitor (the cheapest identity there is) uploading one file from `ip`. */
  async function freshVisitorUpload(channelId: string, ip: string, bytes: Buffer) {
    const v = new VisitorClient(t, channelId);
    await v.session();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/widget/${channelId}/uploads`,
      remoteAddress: ip,
      headers: {
        origin: v.origin,
        [VISITOR_TOKEN_HEADER]: v.token,
        'content-type': 'application/pdf',
        'x-file-name': 'doc.pdf',
      },
      payload: bytes,
    });
    return { v, res };
  }

  it('a fresh visitor per upload still hits the per-address daily quota, in files and in bytes', async () => {
    const ch = await createWidgetChannel(t, t.admin, {
      uploadIpDailyFiles: 3,
      uploadIpDailyBytes: 10_000,
    });
    for (let i = 0; i < 3; i++) {
      const { res } = await freshVisitorUpload(ch.id, '203.0.113.7', pdf(1000));
      expect(res.statusCode, res.body).toBe(201);
    }
    const fourth = (await freshVisitorUpload(ch.id, '203.0.113.7', pdf(1000))).res;
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error).toMatchObject({
      code: 'upload_ip_quota_exceeded',
      details: { maxFiles: 3, maxBytes: 10_000 },
    });
    expect(fourth.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(fourth.json().error.details.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
    // Nothing of the refused file was stored.
    const rows = await t.ctx.db.kysely
      .selectFrom('widget_uploads')
      .select('id')
      .where('channel_id', '=', ch.id)
      .execute();
    expect(rows).toHaveLength(3);

    // Another address is counted on its own; bytes count as well as files.
    expect((await freshVisitorUpload(ch.id, '198.51.100.9', pdf(6000))).res.statusCode).toBe(201);
    const tooMuch = (await freshVisitorUpload(ch.id, '198.51.100.9', pdf(5000))).res;
    expect(tooMuch.statusCode).toBe(429);
    expect(tooMuch.json().error.code).toBe('upload_ip_quota_exceeded');

    // A day later the address may upload again.
    clock.advance(24 * HOUR + 1000);
    expect((await freshVisitorUpload(ch.id, '203.0.113.7', pdf(1000))).res.statusCode).toBe(201);
  });

  it('the channel’s storage quota holds across addresses and visitors (413)', async () => {
    const ch = await createWidgetChannel(t, t.admin, { uploadQuotaBytes: 5_000 });
    for (let i = 0; i < 4; i++) {
      const { res } = await freshVisitorUpload(ch.id, `192.0.2.${i + 1}`, pdf(1200));
      expect(res.statusCode, res.body).toBe(201);
    }
    const full = (await freshVisitorUpload(ch.id, '192.0.2.50', pdf(1200))).res;
    expect(full.statusCode).toBe(413);
    expect(full.json().error).toMatchObject({
      code: 'upload_channel_quota_exceeded',
      details: { quotaBytes: 5_000 },
    });
    // Unsent files are deleted after UPLOAD_UNUSED_TTL_HOURS, which frees the quota.
    clock.advance(2 * HOUR + 1000);
    await runRetention(t.ctx);
    expect((await freshVisitorUpload(ch.id, '192.0.2.50', pdf(1200))).res.statusCode).toBe(201);
  });

  it('deletes unsent uploads (widget and operator) with their bytes; sent ones stay', async () => {
    const ch = await createWidgetChannel(t);
    const sent = await freshVisitorUpload(ch.id, '192.0.2.77', pdf(800));
    const unsent = await freshVisitorUpload(ch.id, '192.0.2.78', pdf(800));
    expect(sent.res.statusCode).toBe(201);
    const ok = await sent.v.send('with-file-1', 'my document', { attachments: [sent.res.json().token] });
    expect(ok.statusCode, ok.body).toBe(202);
    await t.drainJobs();
    const operatorUpload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        cookie: t.admin.cookie,
        'x-csrf-token': t.admin.csrf,
        'content-type': 'multipart/form-data; boundary=b0undary',
      },
      payload: Buffer.concat([
        Buffer.from(
          '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\n' +
            'Content-Type: application/pdf\r\n\r\n',
        ),
        pdf(500),
        Buffer.from('\r\n--b0undary--\r\n'),
      ]),
    });
    expect(operatorUpload.statusCode, operatorUpload.body).toBe(201);

    const k = t.ctx.db.kysely;
    const rows = await k.selectFrom('widget_uploads').selectAll().where('channel_id', '=', ch.id).execute();
    const sentRow = rows.find((r) => r.used_at !== null)!;
    const unsentRow = rows.find((r) => r.used_at === null)!;
    const opRow = await k
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', operatorUpload.json().id)
      .executeTakeFirstOrThrow();
    // Younger than the TTL: kept.
    clock.advance(HOUR);
    let report = await runRetention(t.ctx);
    expect(await t.ctx.files.exists(unsentRow.storage_key)).toBe(true);
    expect(await t.ctx.files.exists(opRow.storage_key)).toBe(true);

    clock.advance(HOUR + 1000);
    report = await runRetention(t.ctx);
    expect(report.unusedWidgetUploads).toBeGreaterThanOrEqual(1);
    expect(report.unusedUploads).toBeGreaterThanOrEqual(1);
    expect(await t.ctx.files.exists(unsentRow.storage_key)).toBe(false);
    expect(await t.ctx.files.exists(opRow.storage_key)).toBe(false);
    expect(await t.ctx.files.exists(sentRow.storage_key)).toBe(true);
    expect(
      await k.selectFrom('widget_uploads').select('id').where('id', '=', unsentRow.id).executeTakeFirst(),
    ).toBeUndefined();
    // The receipt of a deleted upload no longer attaches anything.
    const late = await unsent.v.send('late-file-1', 'here it is', { attachments: [unsent.res.json().token] });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('validation_error');
  });
});
