import { createHash } from 'node:crypto';
import { safeEqual } from '../../../infra/crypto/hmac.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { z } from 'zod';
import { parseVkEvent } from './vk-parse.ts';
import { HANDLED_EVENTS, vkCallback } from './vk-types.ts';

const TEXT = 'text/plain; charset=utf-8';

/** The peer an event is about, so one customer's (or chat's) events apply in order. */
function orderKeyOf(type: string, object: unknown): string | undefined {
  const o = (object ?? {}) as { message?: { peer_id?: unknown }; peer_id?: unknown; user_id?: unknown };
  const peer = type === 'message_new' ? (o.message?.peer_id ?? o.peer_id) : (o.peer_id ?? o.user_id);
  return typeof peer === 'number' ? String(peer) : undefined;
}

/**
 * A Callback API request. There is no signature: authenticity is the `secret` in the body equal to the
 * configured secret key (refused with 403 and stored nowhere otherwise) and the community's `group_id`.
 * `confirmation` is answered with the confirmation string as the plain body; every other event with a
 * plain `ok` once it is committed (VK resends anything else, and stops calling a server that keeps
 * failing). Events are deduplicated by `event_id`.
 */
export function handleVkWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
  if (req.method !== 'POST')
    throw new DomainError('bad_request', 'VK Callback API requests are POST requests');
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new DomainError('invalid_json', 'The request body is not valid JSON');
  }
  const parsed = vkCallback.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError(
      'validation_error',
      `Not a VK Callback API event: ${i?.path.join('.')}: ${i?.message}`,
    );
  }
  const cb = parsed.data;
  const expected = channel.credentials.secret;
  const groupId = Number(channel.settings.groupId);
  if (cb.group_id !== undefined && cb.group_id !== groupId) {
    throw new DomainError('forbidden', 'The event is for another VK community than this channel’s');
  }
  if (cb.type === 'confirmation') {
    // VK sends the secret with the confirmation request too; a present but wrong one is refused.
    if (cb.secret !== undefined && (!expected || !safeEqual(cb.secret, expected))) {
      throw new DomainError('forbidden', 'Wrong Callback API secret key');
    }
    const code = channel.settings.confirmationCode;
    if (typeof code !== 'string' || !code) {
      throw new DomainError('validation_error', 'This channel has no confirmation string configured');
    }
    return { events: [], response: { status: 200, body: code, contentType: TEXT } };
  }
  if (typeof cb.secret !== 'string' || !expected || !safeEqual(cb.secret, expected)) {
    throw new DomainError('forbidden', 'Missing or wrong Callback API secret key');
  }
  if (!HANDLED_EVENTS.has(cb.type))
    return { events: [], response: { status: 200, body: 'ok', contentType: TEXT } };
  // The secret is not kept with the stored event.
  const { secret: _secret, ...stored } = json as Record<string, unknown>;
  // An object that is not what VK sends for this type is refused now rather than failing in the worker.
  try {
    parseVkEvent(stored);
  } catch (err) {
    const issue = err instanceof z.ZodError ? err.issues[0] : undefined;
    throw new DomainError(
      'validation_error',
      `Not a VK ${cb.type} event${issue ? `: ${issue.path.join('.')}: ${issue.message}` : ''}`,
    );
  }
  const eventId = cb.event_id ?? `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;
  const orderKey = orderKeyOf(cb.type, cb.object);
  return {
    events: [{ providerEventId: eventId, payload: stored, ...(orderKey ? { orderKey } : {}) }],
    response: { status: 200, body: 'ok', contentType: TEXT },
  };
}
