import { createHmac } from 'node:crypto';
import type { BenchNode } from './bench-node.ts';
import { pool } from './callback-sink.ts';

export interface SeededCustomer {
  conversationId: string;
  contactId: string;
}

/**
 * `count` customers write one message each through the API channel's signed webhook (the normal way a
 * conversation comes into being); resolves once the worker has turned every one into a conversation.
 */
export async function seedCustomers(node: BenchNode, count: number): Promise<SeededCustomer[]> {
  const { base, account: acc } = node;
  const headers = { 'content-type': 'application/json', cookie: acc.cookie, 'x-csrf-token': acc.csrf };
  await pool(count, 8, async (i) => {
    const body = JSON.stringify({
      eventId: `seed-${i}`,
      contact: { externalId: `c-${i}` },
      message: { externalId: `seed-${i}`, text: 'hi' },
    });
    const sig = `sha256=${createHmac('sha256', acc.secret).update(body).digest('hex')}`;
    const res = await fetch(`${base}/webhooks/api/${acc.channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': sig },
      body,
    });
    if (res.status !== 200) throw new Error(`seed webhook answered ${res.status}`);
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    const seen: SeededCustomer[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await (await fetch(`${base}/api/v1/conversations?${q}`, { headers })).json()) as {
        items: { id: string; contact: { id: string } }[];
        nextCursor: string | null;
      };
      for (const c of page.items) seen.push({ conversationId: c.id, contactId: c.contact.id });
      cursor = page.nextCursor;
    } while (cursor);
    if (seen.length >= count) return seen;
    if (Date.now() > deadline) throw new Error(`only ${seen.length} of ${count} conversations appeared`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
