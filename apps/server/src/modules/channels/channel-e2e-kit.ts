import { expect } from 'vitest';
import type { AppFixture } from '../../../test/use-test-app.ts';

/**
 * The admin's reads and replies that every provider e2e suite makes, answering the API's JSON as-is
 * (the suites inspect provider-specific fields the kit's typed items do not name).
 */
export function adminInbox(t: AppFixture) {
  const conversations = async () => (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items;
  const messagesOf = async (convId: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
  /** An operator's reply that must be accepted; answers the message's id. */
  const reply = async (convId: string, text: string, clientMessageId: string) => {
    const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
      text,
      clientMessageId,
    });
    expect(r.statusCode, r.body).toBe(202);
    return r.json().id as string;
  };
  return { conversations, messagesOf, reply };
}

/** The admin's upload of a PNG named p.png, as the console posts it; answers the stored upload's id. */
export async function uploadPng(t: AppFixture, png: Buffer): Promise<string> {
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      cookie: t.admin.cookie,
      'x-csrf-token': t.admin.csrf,
      'content-type': 'multipart/form-data; boundary=X',
    },
    payload: Buffer.concat([
      Buffer.from(
        '--X\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from('\r\n--X--\r\n'),
    ]),
  });
  expect(up.statusCode, up.body).toBe(201);
  return up.json().id as string;
}

/** The message.send jobs ever queued (done ones stay in the table): how many sends were attempted. */
export async function sendJobs(t: AppFixture): Promise<{ id: string }[]> {
  return t.ctx.db.kysely.selectFrom('jobs').select('id').where('type', '=', 'message.send').execute();
}
