import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { handleVkWebhook } from './vk-webhook.ts';

const channel: ChannelRuntime = {
  id: 'ch1',
  accountId: 'a1',
  type: 'vk',
  name: 'VK',
  settings: { groupId: 77, confirmationCode: 'c0nf1rm' },
  credentials: { accessToken: 'token', secret: 's3cret' },
};
const post = (body: unknown, method = 'POST') =>
  handleVkWebhook(
    {
      method,
      headers: {},
      query: {},
      rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    },
    channel,
  );
const refused = (f: () => unknown, code: string) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(code);
    return;
  }
  throw new Error('not refused');
};

describe('VK Callback API requests', () => {
  it('answers confirmation with the confirmation string as plain text, storing nothing', () => {
    const r = post({ type: 'confirmation', group_id: 77 });
    expect(r).toEqual({
      events: [],
      response: { status: 200, body: 'c0nf1rm', contentType: 'text/plain; charset=utf-8' },
    });
    expect(post({ type: 'confirmation', group_id: 77, secret: 's3cret' }).response.body).toBe('c0nf1rm');
    refused(() => post({ type: 'confirmation', group_id: 77, secret: 'wrong' }), 'forbidden');
    refused(() => post({ type: 'confirmation', group_id: 78 }), 'forbidden');
  });

  it('stores an event under its event_id without the secret, answers plain ok', () => {
    const body = {
      type: 'message_new',
      event_id: 'abc',
      v: '5.199',
      group_id: 77,
      secret: 's3cret',
      object: { message: { peer_id: 5, from_id: 5 } },
    };
    const r = post(body);
    expect(r.response).toEqual({ status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' });
    expect(r.events).toEqual([
      {
        providerEventId: 'abc',
        orderKey: '5',
        payload: { type: 'message_new', event_id: 'abc', v: '5.199', group_id: 77, object: body.object },
      },
    ]);
    // Without an event_id (older API versions) the body's hash keys it.
    const old = post({ ...body, event_id: undefined });
    expect(old.events[0]!.providerEventId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses a missing or wrong secret, another community, bad JSON and GET', () => {
    refused(() => post({ type: 'message_new', group_id: 77, object: {} }), 'forbidden');
    refused(() => post({ type: 'message_new', group_id: 77, secret: 's3cre', object: {} }), 'forbidden');
    refused(() => post({ type: 'message_new', group_id: 1, secret: 's3cret', object: {} }), 'forbidden');
    refused(() => post('{"type":'), 'invalid_json');
    refused(() => post({ event_id: 'x' }), 'validation_error');
    refused(() => post({ type: 'message_new' }, 'GET'), 'bad_request');
    refused(
      () => post({ type: 'message_new', group_id: 77, secret: 's3cret', object: { message: 'hi' } }),
      'validation_error',
    );
    refused(
      () => post({ type: 'message_deny', group_id: 77, secret: 's3cret', object: { user_id: 'x' } }),
      'validation_error',
    );
  });

  it('acknowledges events Switchboard does not use without storing them', () => {
    expect(post({ type: 'wall_post_new', group_id: 77, secret: 's3cret', object: {} })).toMatchObject({
      events: [],
      response: { body: 'ok' },
    });
  });
});
