import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { splitText } from '../split-text.ts';
import { type Http, twilioRequest } from './twilio-client.ts';
import { twilioJobError } from './twilio-errors.ts';

/** Twilio's limits per Message: 1600 characters of Body, 10 MediaUrl. */
export const BODY_MAX = 1600;
const MEDIA_MAX = 10;

interface MessageResource {
  sid?: string;
  status?: string;
}

/**
 * One operator message as Twilio Messages: the first carries the first text part and up to 10
 * attachments by link (MMS), further ones carry the rest. Every one asks for status callbacks at our
 * webhook; the first sid is kept, so its statuses move the message's ticks.
 */
export async function sendTwilioMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
  statusCallback: string | null,
): Promise<SendResult> {
  if (message.template) {
    throw new PermanentError('SMS has no provider templates; send the text itself', 'unsupported');
  }
  const media: string[] = [];
  for (const a of message.attachments) {
    if (!a.url || !/^https?:\/\//.test(a.url)) {
      throw new PermanentError(
        'The attachment has no public URL Twilio could fetch it from',
        'attachment_unavailable',
      );
    }
    media.push(a.url);
  }
  const text = message.text?.trim() ? message.text : null;
  const parts = text === null ? [] : splitText(text, BODY_MAX);
  const sender: [string, string] = channel.settings.messagingServiceSid
    ? ['MessagingServiceSid', String(channel.settings.messagingServiceSid)]
    : ['From', String(channel.settings.fromNumber)];

  const requests: { body?: string; media: string[] }[] = [];
  for (let i = 0; i < Math.max(parts.length, Math.ceil(media.length / MEDIA_MAX)); i++) {
    requests.push({ body: parts[i], media: media.slice(i * MEDIA_MAX, (i + 1) * MEDIA_MAX) });
  }
  if (requests.length === 0) {
    throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  }
  let first: string | null = null;
  for (const r of requests) {
    const form: [string, string][] = [['To', message.contactExternalId], sender];
    if (r.body !== undefined) form.push(['Body', r.body]);
    for (const url of r.media) form.push(['MediaUrl', url]);
    if (statusCallback) form.push(['StatusCallback', statusCallback]);
    let answer: MessageResource;
    try {
      answer = await twilioRequest<MessageResource>(http, channel, 'POST', '/Messages.json', form);
    } catch (err) {
      throw twilioJobError(err);
    }
    if (!answer.sid) {
      throw new PermanentError('Twilio accepted the message but returned no sid', 'no_message_id');
    }
    first ??= answer.sid;
  }
  return { providerMessageId: first };
}
