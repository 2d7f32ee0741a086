import { createHash } from 'node:crypto';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { splitText } from '../split-text.ts';
import { type Http, VkApiError, callVk } from './vk-client.ts';
import { vkJobError } from './vk-errors.ts';
import { vkRandomKey } from './vk-parse.ts';
import { uploadAttachment } from './vk-upload.ts';

export const TEXT_MAX = 4096;
/** Attachments one `messages.send` carries. */
const ATTACHMENTS_MAX = 10;

/**
 * `random_id` for part `part` of our message `messageId`: a positive int32 derived from the id, so a
 * retried send repeats it and VK drops the repeat instead of delivering the message twice.
 */
export function vkRandomId(messageId: string, part: number): number {
  const h = createHash('sha256').update(`${messageId}:${part}`).digest();
  return h.readUInt32BE(0) & 0x7fffffff || 1;
}

/** `messages.send` answers the message id; with `peer_ids` a list of `{peer_id, message_id, ...}`. */
type SendAnswer =
  | number
  | {
      peer_id: number;
      message_id?: number;
      conversation_message_id?: number;
      error?: { code?: number; description?: string };
    }[];

function peerOf(externalId: string): number {
  if (!/^-?\d{1,16}$/.test(externalId)) {
    throw new PermanentError(`"${externalId}" is not a VK peer id`, 'invalid_recipient');
  }
  return Number(externalId);
}

/**
 * One operator message as VK messages: files uploaded through VK's upload servers and sent with the
 * first text part (up to 10 per message), text in 4096-character parts. Each part has its own
 * deterministic random_id; the result lists each part's random key so the `message_reply` echoes of our
 * own sends are recognised.
 */
export async function sendVkMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  const peerId = peerOf(message.contactExternalId);
  const refs: string[] = [];
  for (const a of message.attachments) refs.push(await uploadAttachment(http, channel, peerId, a));
  const text = message.text?.trim() ? message.text : '';
  const parts = text ? splitText(text, TEXT_MAX) : [];
  const batches: { text: string; attachment: string[] }[] = [];
  const fileBatches: string[][] = [];
  for (let i = 0; i < refs.length; i += ATTACHMENTS_MAX) fileBatches.push(refs.slice(i, i + ATTACHMENTS_MAX));
  const n = Math.max(parts.length, fileBatches.length);
  for (let i = 0; i < n; i++) batches.push({ text: parts[i] ?? '', attachment: fileBatches[i] ?? [] });
  if (batches.length === 0) {
    throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  }
  const replyTo = message.replyToProviderMessageId?.match(/^(-?\d+)_(\d+)$/);
  const ids: string[] = [];
  const keys: string[] = [];
  for (const [i, b] of batches.entries()) {
    const randomId = vkRandomId(message.id, i);
    let answer: SendAnswer;
    try {
      answer = await callVk<SendAnswer>(http, channel, 'messages.send', {
        peer_id: peerId,
        random_id: randomId,
        message: b.text || undefined,
        attachment: b.attachment.length > 0 ? b.attachment.join(',') : undefined,
        // Quote the customer's message on the first part, by its number in the conversation.
        ...(i === 0 && replyTo && replyTo[1] === String(peerId)
          ? {
              forward: JSON.stringify({
                peer_id: peerId,
                conversation_message_ids: [Number(replyTo[2])],
                is_reply: true,
              }),
            }
          : {}),
      });
    } catch (err) {
      throw vkJobError(err);
    }
    keys.push(vkRandomKey(peerId, randomId));
    const one = Array.isArray(answer) ? answer[0] : { peer_id: peerId, message_id: answer };
    if (one?.error) {
      throw vkJobError(new VkApiError('messages.send', one.error.code ?? 1, one.error.description ?? ''));
    }
    if (one?.conversation_message_id) ids.push(`${peerId}_${one.conversation_message_id}`);
    else if (one?.message_id) ids.push(`${peerId}_id${one.message_id}`);
  }
  const all = [...ids, ...keys];
  return { providerMessageId: ids[0] ?? keys[0]!, providerMessageIds: all };
}
