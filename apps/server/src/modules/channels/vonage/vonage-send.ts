import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { splitText } from '../split-text.ts';
import { type Http, postMessage } from './vonage-client.ts';
import { vonageJobError } from './vonage-errors.ts';

/** Messages API, channel `sms`: `text` up to 1,000 characters (Vonage concatenates the segments). */
export const TEXT_MAX = 1000;

const digits = (n: string) => n.replace(/^\+/, '');

/**
 * One operator message as Vonage SMS messages: the text split at 1,000 characters, with the attachments'
 * download links after it (SMS carries no files). Each carries our message id as `client_ref`; the first
 * `message_uuid` names the message, the others let status webhooks for any part find it.
 */
export async function sendVonageMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  if (message.template) {
    throw new PermanentError('SMS has no provider templates; send the text itself', 'unsupported');
  }
  const links: string[] = [];
  for (const a of message.attachments) {
    if (!a.url || !/^https?:\/\//.test(a.url)) {
      throw new PermanentError(
        'The attachment has no link the customer could open',
        'attachment_unavailable',
      );
    }
    links.push(a.url);
  }
  const text = [message.text?.trim() ? message.text : null, ...links].filter(Boolean).join('\n');
  if (!text) throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  const uuids: string[] = [];
  for (const part of splitText(text, TEXT_MAX)) {
    let answer: { message_uuid?: string };
    try {
      answer = await postMessage(http, channel, {
        message_type: 'text',
        channel: 'sms',
        to: digits(message.contactExternalId),
        from: digits(String(channel.settings.fromNumber)),
        text: part,
        client_ref: message.id,
      });
    } catch (err) {
      // Parts already accepted stay sent: retrying from the start would text them twice.
      if (uuids.length > 0) break;
      throw vonageJobError(err);
    }
    if (!answer.message_uuid)
      throw new PermanentError('Vonage accepted the message but returned no message_uuid', 'no_message_id');
    uuids.push(answer.message_uuid);
  }
  return { providerMessageId: uuids[0]!, providerMessageIds: uuids };
}
