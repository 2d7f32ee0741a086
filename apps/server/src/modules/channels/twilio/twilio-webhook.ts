import { matchKeyword } from '../../consent/consent-keywords.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { extraKeywords, keywordReplyText } from '../../consent/keyword-settings.ts';
import { switchboardAnswersKeywords } from './twilio-settings.ts';
import { type FormParams, SIGNATURE_HEADER, verifyTwilioSignature } from './twilio-signature.ts';

/** What one stored Twilio event holds: the posted parameters (first value of each name). */
export type TwilioStoredEvent =
  | { kind: 'message'; params: Record<string, string>; receivedAt: number | null }
  | { kind: 'status'; params: Record<string, string> };

const MESSAGE_SID = /^(SM|MM|IM|RM)[0-9a-fA-F]{32}$/;

export function twiml(message?: string): string {
  const body = message === undefined ? '' : `<Message>${escapeXml(message)}</Message>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Parameters as Twilio sent them: the form body of a POST, the query string of a GET. */
function paramsOf(req: WebhookRequest): { signed: FormParams; all: FormParams } {
  if (req.method === 'GET') {
    const q = req.url ? [...new URL(req.url).searchParams] : [];
    return { signed: [], all: q };
  }
  const form = [...new URLSearchParams(req.rawBody.toString('utf8'))];
  return { signed: form, all: form };
}

/**
 * An incoming SMS/MMS or a status callback, signed with `X-Twilio-Signature` over the public URL and
 * every posted parameter (Twilio adds parameters without notice, so none is filtered out). A message is
 * keyed by MessageSid, a status by `MessageSid:MessageStatus`. Twilio expects TwiML back: empty, or the
 * answer to a STOP/START/HELP keyword when this channel answers them itself.
 */
export function handleTwilioWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
  const { signed, all } = paramsOf(req);
  const token = channel.credentials.authToken ?? '';
  if (
    !req.url ||
    !verifyTwilioSignature(token, req.headers[SIGNATURE_HEADER], req.url, signed, req.rawBody)
  ) {
    throw new DomainError('invalid_signature', 'Missing or wrong X-Twilio-Signature');
  }
  const p: Record<string, string> = {};
  for (const [k, v] of all) if (!(k in p)) p[k] = v;
  const sid = p.MessageSid ?? p.SmsMessageSid ?? p.SmsSid;
  if (!sid || !MESSAGE_SID.test(sid)) {
    throw new DomainError('validation_error', 'Not a Twilio messaging webhook: MessageSid is missing');
  }
  const empty = { status: 200, body: twiml(), contentType: 'text/xml' };
  const status = p.MessageStatus ?? (p.SmsStatus !== 'received' ? p.SmsStatus : undefined);
  if (status !== undefined && status !== 'received' && status !== 'receiving') {
    return {
      events: [{ providerEventId: `${sid}:${status}`, payload: { kind: 'status', params: p } }],
      response: empty,
    };
  }
  if (!p.From) throw new DomainError('validation_error', 'Not a Twilio message: From is missing');
  const payload: TwilioStoredEvent = { kind: 'message', params: p, receivedAt: req.receivedAt ?? null };
  const events = [{ providerEventId: sid, payload, orderKey: p.From }];
  const match = matchKeyword(p.Body, extraKeywords(channel));
  // OptOutType: Twilio's Advanced Opt-Out already answered this keyword.
  if (match && switchboardAnswersKeywords(channel) && !p.OptOutType) {
    return { events, response: { ...empty, body: twiml(keywordReplyText(channel, match)) } };
  }
  return { events, response: empty };
}
