import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { conversationOf, postInbound } from '../routing/routing-test-kit.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;

describe.each(await testDialects())('waitingSince in the conversation list (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: {} });

  const listed = async (id: string) => {
    const res = await t.as(t.admin, 'GET', '/api/v1/conversations?status=open');
    expect(res.statusCode).toBe(200);
    return res.json().items.find((c: { id: string }) => c.id === id) as {
      waitingSince: number | null;
      channel: { type: string; name: string };
    };
  };

  it('starts at the oldest customer message after the last reply, and clears on a reply or resolve', async () => {
    await postInbound(t, t.channel, 'w1', 'Hello?');
    await t.drainJobs();
    const { id } = await conversationOf(t, 'w1');
    t.clock.advance(5 * MIN);
    await postInbound(t, t.channel, 'w1', 'Anyone there?');
    await t.drainJobs();
    // The second message does not restart the wait: the customer has waited since the first.
    expect(await listed(id)).toMatchObject({ waitingSince: T0, channel: { type: 'api', name: 'Shop' } });

    t.clock.advance(MIN);
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'Here',
      clientMessageId: 'w-reply-1',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    expect((await listed(id)).waitingSince).toBeNull();

    // A private note is not an answer: a new customer message waits from its own time.
    t.clock.advance(MIN);
    await postInbound(t, t.channel, 'w1', 'Thanks, one more thing');
    await t.drainJobs();
    const note = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'checking',
      clientMessageId: 'w-note-1',
      private: true,
    });
    expect(note.statusCode, note.body).toBe(201);
    expect((await listed(id)).waitingSince).toBe(T0 + 7 * MIN);

    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    const resolved = await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`);
    expect(resolved.json().waitingSince).toBeNull();
  });
});
