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
