import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { exactId, parseJsonExact } from './viber-json.ts';
import { SIGNATURE_HEADER, verifyViberSignature } from './viber-signature.ts';
import { SENDER_NAME_MAX } from './viber-settings.ts';

/** A callback as stored: Viber's JSON with `message_token` as its exact digits. */
export interface ViberCallback {
  event: string;
  timestamp?: number | string;
  message_token?: string;
  [k: string]: unknown;
}

const STORED = new Set(['message', 'subscribed', 'unsubscribed', 'delivered', 'seen', 'failed']);

/** Who a callback is about: `sender.id` (message), `user.id` (subscribed), `user_id` (the others). */
export function userIdOf(cb: ViberCallback): string | null {
  const sender = cb.sender as { id?: unknown } | undefined;
  const user = cb.user as { id?: unknown } | undefined;
  const id = sender?.id ?? user?.id ?? cb.user_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}

/** The sender shown with our messages: the admin's name for it, else the channel's name (28 characters at most). */
export function senderOf(channel: ChannelRuntime): { name: string; avatar?: string } {
  const name =
    typeof channel.settings.senderName === 'string' && channel.settings.senderName
      ? channel.settings.senderName
      : channel.name;
  const avatar = channel.settings.senderAvatar;
  return {
    name: [...name].slice(0, SENDER_NAME_MAX).join(''),
    ...(typeof avatar === 'string' && avatar ? { avatar } : {}),
  };
}

/**
 * One Viber callback, signed with `X-Viber-Content-Signature` over the raw bytes (nothing is stored
 * for an unsigned or wrongly signed one). Keyed by event and `message_token` (64-bit, kept exact):
 * `webhook` (the probe `set_webhook` triggers) is answered 200 and stored nowhere; `conversation_started`
 * is answered with the channel's welcome message, if it has one (the only message Viber lets a bot send
 * to someone who has not subscribed); messages are ordered per customer.
 */
export function handleViberWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
  const token = channel.credentials.authToken ?? '';
  if (!verifyViberSignature(token, req.headers[SIGNATURE_HEADER], req.rawBody)) {
    throw new DomainError('invalid_signature', 'Missing or wrong X-Viber-Content-Signature');
  }
  let cb: ViberCallback;
  try {
    const v = parseJsonExact(req.rawBody.toString('utf8'));
    if (!v || typeof v !== 'object' || typeof (v as ViberCallback).event !== 'string') throw new Error();
    cb = v as ViberCallback;
  } catch {
    throw new DomainError('validation_error', 'Not a Viber callback: a JSON object with "event" is expected');
  }
  const ok = { status: 200, body: '' };
  if (cb.event === 'conversation_started') {
    const welcome =
      typeof channel.settings.welcomeMessage === 'string' ? channel.settings.welcomeMessage : '';
    if (!welcome) return { events: [], response: ok };
    const body = { sender: senderOf(channel), type: 'text', text: welcome, min_api_version: 1 };
    return {
      events: [],
      response: { status: 200, body: JSON.stringify(body), contentType: 'application/json' },
    };
  }
  if (!STORED.has(cb.event)) return { events: [], response: ok };
  const messageToken = exactId(cb.message_token);
  const user = userIdOf(cb);
  if (!messageToken || !user) {
    throw new DomainError(
      'validation_error',
      `Not a Viber ${cb.event} callback: message_token or user is missing`,
    );
  }
  const stored: ViberCallback = { ...cb, message_token: messageToken };
  // Receipts name our message's token; several users never share one, but the event kind must be in the key.
  return {
    events: [{ providerEventId: `${cb.event}:${messageToken}`, payload: stored, orderKey: user }],
    response: ok,
  };
}
