import type { ContentKind } from '@switchboard/shared';
import { kindOfMime } from '../../messages/content-kind.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { OutboundMessage, SendResult } from '../channel-adapter.ts';
import { type GraphConn, GraphApiError, type Http, graphCall } from './graph-client.ts';
import { metaJobError } from './meta-errors.ts';

export interface SendOptions {
  label: 'Messenger' | 'Instagram';
  /** Splits the text into messages the product takes (Messenger: 2,000 characters; Instagram: 1,000 bytes). */
  split(text: string): string[];
  /**
   * Upload files Switchboard holds through the Attachment Upload API (Messenger). Without it the file's
   * signed link is passed (Instagram sends media by URL only).
   */
  upload: boolean;
  /** Put `<marker><message id>` in `message.metadata` so echoes of our own sends are recognised. */
  echoMarker?: string;
}

type MetaAttachmentType = 'image' | 'video' | 'audio' | 'file';

const META_TYPE: Partial<Record<ContentKind, MetaAttachmentType>> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  voice: 'audio',
  document: 'file',
};

export function attachmentType(kind: ContentKind | undefined, mime: string | null): MetaAttachmentType {
  return (kind && META_TYPE[kind]) ?? META_TYPE[kindOfMime(mime)] ?? 'file';
}

interface SendAnswer {
  recipient_id?: string;
  message_id?: string;
}

/**
 * One operator message through the Send API (`POST /me/messages`): each attachment as its own message,
 * then the text in parts. `messaging_type` is RESPONSE inside the standard window, MESSAGE_TAG with the
 * tag the window policy chose after it. The first message id is kept; all of them are reported so
 * receipts and echoes of any part find the message.
 */
export async function sendMetaMessage(
  http: Http,
  conn: GraphConn,
  opts: SendOptions,
  message: OutboundMessage,
): Promise<SendResult> {
  const ids: string[] = [];
  const envelope = {
    recipient: { id: message.contactExternalId },
    ...(message.tag ? { messaging_type: 'MESSAGE_TAG', tag: message.tag } : { messaging_type: 'RESPONSE' }),
  };
  const metadata = opts.echoMarker ? { metadata: `${opts.echoMarker}${message.id}` } : {};
  const post = async (content: Record<string, unknown>) => {
    let answer: SendAnswer;
    try {
      answer = await graphCall<SendAnswer>(http, conn, 'POST', 'me/messages', {
        json: { ...envelope, message: { ...content, ...metadata } },
      });
    } catch (err) {
      throw metaJobError(opts.label, err);
    }
    if (typeof answer.message_id !== 'string' || answer.message_id === '') {
      throw new PermanentError(
        `${opts.label} accepted the message but returned no message id`,
        'no_message_id',
      );
    }
    ids.push(answer.message_id);
  };

  for (const a of message.attachments) {
    const type = attachmentType(a.kind, a.mimeType);
    if (a.stored && opts.upload) {
      let attachmentId: string;
      try {
        attachmentId = await uploadAttachment(http, conn, type, {
          bytes: await a.stored.read(),
          fileName: a.name ?? `file.${type}`,
          mimeType: a.mimeType ?? 'application/octet-stream',
        });
      } catch (err) {
        throw metaJobError(opts.label, err);
      }
      await post({ attachment: { type, payload: { attachment_id: attachmentId } } });
      continue;
    }
    if (!a.url || !/^https?:\/\//.test(a.url)) {
      throw new PermanentError(
        `The attachment has no public URL ${opts.label} could fetch it from`,
        'attachment_unavailable',
      );
    }
    await post({ attachment: { type, payload: { url: a.url, is_reusable: false } } });
  }
  const text = message.text?.trim() ? message.text : null;
  if (text !== null) for (const part of opts.split(text)) await post({ text: part });
  const first = ids[0];
  if (!first) throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  return { providerMessageId: first, providerMessageIds: ids };
}

/**
 * Attachment Upload API: `POST /me/message_attachments`, multipart with `message` (the attachment's type,
 * not reusable) and `filedata`. Answers the `attachment_id` a message then names.
 */
async function uploadAttachment(
  http: Http,
  conn: GraphConn,
  type: MetaAttachmentType,
  file: { bytes: Uint8Array; fileName: string; mimeType: string },
): Promise<string> {
  const form = new FormData();
  form.append('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
  // Buffers read from storage never live in a SharedArrayBuffer.
  const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType });
  form.append('filedata', blob, file.fileName);
  const r = await graphCall<{ attachment_id?: unknown }>(http, conn, 'POST', 'me/message_attachments', {
    form,
    timeoutMs: 120_000,
  });
  if (typeof r.attachment_id !== 'string' || r.attachment_id === '') {
    throw new GraphApiError(
      200,
      100,
      'The attachment upload answered no attachment_id',
      undefined,
      undefined,
      undefined,
      conn.product,
    );
  }
  return r.attachment_id;
}
