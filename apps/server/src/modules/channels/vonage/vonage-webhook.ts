import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { verifyVonageWebhook } from './vonage-jwt.ts';

/** A Messages API webhook as stored: inbound message or message status, Vonage's JSON as sent. */
export interface VonageEvent {
  message_uuid?: string;
  channel?: string;
  to?: string;
  from?: string;
  timestamp?: string;
  status?: string;
  message_type?: string;
  text?: string;
  error?: { type?: string; title?: string | number; detail?: string; instance?: string };
  sms?: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * One Vonage webhook (inbound SMS or status), signed with a JWT in `Authorization` (HS256 with the
 * signature secret) whose `payload_hash` is the SHA-256 of the raw body; anything unsigned or mis-signed
 * is refused and stored nowhere. A message is keyed by `message_uuid` and ordered per sender; a status by
 * `message_uuid:status`.
 */
export function handleVonageWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
  const now = Math.floor((req.receivedAt ?? Date.now()) / 1000);
  const secret = channel.credentials.signatureSecret ?? '';
  if (!verifyVonageWebhook(secret, req.headers.authorization, req.rawBody, now)) {
    throw new DomainError('invalid_signature', 'Missing or wrong signed JWT in Authorization');
  }
  let ev: VonageEvent;
  try {
    const v = JSON.parse(req.rawBody.toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
    ev = v as VonageEvent;
  } catch {
    throw new DomainError('validation_error', 'Not a Vonage Messages API webhook: a JSON object is expected');
  }
  const uuid = ev.message_uuid;
  if (typeof uuid !== 'string' || !/^[0-9A-Za-z-]{8,64}$/.test(uuid)) {
    throw new DomainError('validation_error', 'Not a Vonage Messages API webhook: message_uuid is missing');
  }
  const ok = { status: 200, body: '' };
  if (typeof ev.status === 'string') {
    return { events: [{ providerEventId: `${uuid}:${ev.status}`, payload: ev }], response: ok };
  }
  if (typeof ev.from !== 'string' || !ev.from) {
    throw new DomainError('validation_error', 'Not a Vonage inbound message: from is missing');
  }
  return { events: [{ providerEventId: uuid, payload: ev, orderKey: ev.from }], response: ok };
}
