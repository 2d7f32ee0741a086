import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { captionPlan } from '../caption-plan.ts';
import { splitText } from '../split-text.ts';
import { type Http, viberCall } from './viber-client.ts';
import { viberJobError } from './viber-errors.ts';
import { exactId } from './viber-json.ts';
import { senderOf } from './viber-webhook.ts';

/** `send_message` limits: text 7,000 characters, a picture's description 768. */
export const TEXT_MAX = 7000;
const PICTURE_TEXT_MAX = 768;

type Attachment = OutboundMessage['attachments'][number];

/** The body of one `send_message` for an attachment, by the kind it goes out as (a picture's `text` empty). */
function mediaBody(a: Attachment): Record<string, unknown> {
  if (!a.url || !/^https?:\/\//.test(a.url)) {
    throw new PermanentError('The attachment has no URL Viber could fetch it from', 'attachment_unavailable');
  }
  const kind =
    a.kind ??
    (a.mimeType?.startsWith('image/') ? 'image' : a.mimeType?.startsWith('video/') ? 'video' : 'document');
  const size = a.stored?.size;
  if (kind === 'image' && /^image\/(jpeg|png|gif)$/.test(a.mimeType ?? 'image/jpeg')) {
    return { type: 'picture', media: a.url, text: '' };
  }
  if (kind === 'video' && size !== undefined) return { type: 'video', media: a.url, size };
  if (size === undefined) {
    throw new PermanentError('Viber needs the size of a file it is sent by link', 'attachment_unavailable');
  }
  return { type: 'file', media: a.url, size, file_name: (a.name ?? 'file').slice(0, 255) };
}

/**
 * One operator message as Viber messages, in the order the console shows it (text above files): a
 * location or a contact card alone; the text as the first file's description when that file is a
 * picture and the text fits (768 characters; videos and files take no text), else the text (split at
 * 7,000 characters) first; then each attachment (picture, video, file by link). Each carries
 * our message id as `tracking_data`. The first `message_token` (64-bit, kept exact) names the message;
 * receipts for the others find it through `providerMessageIds`.
 */
export async function sendViberMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  if (message.template) {
    throw new PermanentError('Viber has no provider templates; send the text itself', 'unsupported');
  }
  const bodies: Record<string, unknown>[] = [];
  if (message.location) {
    bodies.push({
      type: 'location',
      location: { lat: message.location.latitude, lon: message.location.longitude },
    });
  } else if (message.sharedContact) {
    bodies.push({
      type: 'contact',
      contact: { name: message.sharedContact.name, phone_number: message.sharedContact.phone },
    });
  }
  const text = bodies.length > 0 ? null : message.text?.trim() ? message.text : null;
  const media = message.attachments.map(mediaBody);
  const plan = captionPlan(text, media.length, media[0]?.type === 'picture', PICTURE_TEXT_MAX);
  if (text !== null && plan === 'caption') media[0]!.text = text;
  if (text !== null && plan === 'before')
    for (const part of splitText(text, TEXT_MAX)) bodies.push({ type: 'text', text: part });
  bodies.push(...media);
  if (bodies.length === 0) {
    throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  }
  const tokens: string[] = [];
  for (const b of bodies) {
    let token: string | null;
    try {
      const answer = await viberCall(http, channel, 'send_message', {
        receiver: message.contactExternalId,
        min_api_version: 1,
        sender: senderOf(channel),
        tracking_data: message.id,
        ...b,
      });
      token = exactId(answer.message_token);
    } catch (err) {
      // A later part failing after earlier ones went out: those stay sent, the message is retried from
      // its start only when nothing went out yet.
      if (tokens.length > 0) break;
      throw viberJobError(err);
    }
    if (!token)
      throw new PermanentError('Viber accepted the message but returned no message_token', 'no_message_id');
    tokens.push(token);
  }
  return { providerMessageId: tokens[0]!, providerMessageIds: tokens };
}
