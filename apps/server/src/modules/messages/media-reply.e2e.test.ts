import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../test/use-sandbox.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';

const dialects = await testDialects();
const alice = { id: 5550101, first_name: 'Alice' };

describe.each(dialects)('Replies with media by link, through the Telegram sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new TelegramSandbox());
  let token: string;

  beforeEach(() => {
    token = sandbox.createBot({ username: 'media_bot' }).token;
  });

  const as = (method: string, url: string, body?: unknown) => t.as(t.admin, method, url, body);

  it('sends a photo with its caption, and refuses non-web links', async () => {
    const ch = await as('POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'TG',
      settings: { botToken: token, apiBaseUrl: sandbox.url },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    await sandbox.customerSends(token, { from: alice, content: { text: 'Покажите товар' } });
    await t.drainJobs();
    const conv = (await as('GET', '/api/v1/conversations')).json().items[0];
    const r = await as('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Вот он',
      attachments: [
        { url: 'https://cdn.example.com/kettle.jpg', name: 'kettle.jpg', mimeType: 'image/jpeg' },
      ],
      clientMessageId: 'm-1',
    });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toMatchObject({
      contentKind: 'text',
      attachments: [{ kind: 'image', name: 'kettle.jpg', url: 'https://cdn.example.com/kettle.jpg' }],
    });
    await t.drainJobs();
    const [sent] = sandbox.sentBy(token, alice.id);
    expect(sent).toMatchObject({ caption: 'Вот он' });
    expect(sent?.photo).toBeDefined();

    const onlyFile = await as('POST', `/api/v1/conversations/${conv.id}/messages`, {
      attachments: [{ url: 'https://cdn.example.com/manual.pdf', mimeType: 'application/pdf' }],
      clientMessageId: 'm-2',
    });
    expect(onlyFile.statusCode).toBe(202);
    expect(onlyFile.json()).toMatchObject({ contentKind: 'document', text: null });

    for (const bad of [
      { attachments: [{ url: 'file:///etc/passwd' }], clientMessageId: 'b1' },
      { clientMessageId: 'b2' },
    ]) {
      const res = await as('POST', `/api/v1/conversations/${conv.id}/messages`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
  });
});
