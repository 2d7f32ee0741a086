import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { parseCsv } from '../../lib/csv.ts';
import { conversationOf, postInbound } from '../routing/routing-test-kit.ts';
import { MESSAGE_COLUMNS } from './export-rows.ts';

const dialects = await testDialects();
const PUBLIC = 'https://chat.example.com';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(1500),
]);
const col = (name: string) => MESSAGE_COLUMNS.findIndex((c) => c.header === name);

/**
 * Issue 18 #9: an export's attachment links were relative (useless outside the console) and the lines
 * the system writes ("Ada took the conversation") came out as outbound private notes.
 */
describe.each(dialects)('Messages export: links and system lines (%s)', (dialect) => {
  const t = useTestApp(dialect, { env: { PUBLIC_URL: PUBLIC }, apiChannel: {} });

  it('links files absolutely with a signature that opens them, and gives system lines their own kind', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await postInbound(t, t.channel, 'cust-export', 'Where is my parcel?');
    await t.drainJobs();
    const conv = await conversationOf(t, 'cust-export');
    // Taking the conversation writes a system line into its history.
    const take = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, {
      assigneeId: t.admin.userId,
    });
    expect(take.statusCode, take.body).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'label.png');
    const up = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: t.admin.cookie, 'x-csrf-token': t.admin.csrf },
      body: form,
    });
    expect(up.status).toBe(201);
    const note = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'The label, for colleagues',
      private: true,
      attachments: [{ uploadId: ((await up.json()) as { id: string }).id }],
      clientMessageId: 'note-label',
    });
    expect(note.statusCode, note.body).toBe(201);
    await t.drainJobs();

    const start = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'messages', format: 'csv' });
    expect(start.statusCode, start.body).toBe(202);
    await t.drainJobs();
    const file = await t.as(t.admin, 'GET', `/api/v1/exports/${start.json().id}/download`);
    const rows = parseCsv(file.body).slice(1);
    const system = rows.filter((r) => r[col('Kind')] === 'system');
    expect(system).toHaveLength(1);
    expect(system[0]![col('Text')]).toMatch(/Ada Admin/);
    expect([
      system[0]![col('Direction')],
      system[0]![col('Author kind')],
      system[0]![col('Private note')],
    ]).toEqual(['system', 'system', '']);

    const noted = rows.find((r) => r[col('Text')] === 'The label, for colleagues')!;
    expect([noted[col('Direction')], noted[col('Private note')], noted[col('Attachments')]]).toEqual([
      'out',
      'yes',
      'label.png',
    ]);
    const link = new URL(noted[col('Attachment links')]!);
    expect(link.origin).toBe(PUBLIC);
    expect(link.pathname).toMatch(/^\/api\/v1\/files\//);
    expect(link.searchParams.get('signature')).toBeTruthy();
    // Whoever receives the spreadsheet opens the file without signing in; a forged signature does not.
    const opened = await fetch(`${base}${link.pathname}${link.search}`);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(PNG)).toBe(true);
    link.searchParams.set('signature', 'forged');
    expect((await fetch(`${base}${link.pathname}${link.search}`)).status).toBe(403);
  });
});
