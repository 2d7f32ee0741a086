import type { ContentKind, OutboundButton } from '@switchboard/shared';
import { kindOfMime } from '../../messages/content-kind.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, OutboundTemplate, SendResult } from '../channel-adapter.ts';
import { captionPlan } from '../caption-plan.ts';
import { splitText } from '../split-text.ts';
import { type Http, graphRequest, graphUploadMedia } from './graph-client.ts';
import { whatsappJobError } from './whatsapp-errors.ts';

export const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

interface SendAnswer {
  messages?: { id: string; message_status?: string }[];
}

const WA_TYPE: Partial<Record<ContentKind, 'image' | 'video' | 'audio' | 'document' | 'sticker'>> = {
  sticker: 'sticker',
  voice: 'audio',
  audio: 'audio',
  image: 'image',
  video: 'video',
  document: 'document',
};

function waTypeOf(kind: ContentKind | undefined, mime: string | null) {
  if (kind && WA_TYPE[kind]) return WA_TYPE[kind];
  // WhatsApp sends a WebP image as a sticker.
  if (mime === 'image/webp') return 'sticker';
  return WA_TYPE[kindOfMime(mime)] ?? 'document';
}

type WaMediaType = 'image' | 'video' | 'audio' | 'document';

/** What the Cloud API plays or shows per type, and how large it may be (the documented limits). */
const UPLOAD_RULES: [WaMediaType, RegExp, number][] = [
  ['image', /^image\/(jpeg|png)$/, 5 * 1024 * 1024],
  ['video', /^video\/(mp4|3gpp)$/, 16 * 1024 * 1024],
  ['audio', /^audio\/(aac|amr|mpeg|mp4|ogg)$/, 16 * 1024 * 1024],
];
/** Document types the Cloud API takes; media too large for its own type also goes as a document. */
const DOCUMENT_TYPES =
  /^(text\/plain|application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\..+)|image\/(jpeg|png)|video\/(mp4|3gpp)|audio\/(aac|amr|mpeg|mp4|ogg))$/;
const DOCUMENT_MAX = 100 * 1024 * 1024;

/** How an uploaded file is sent, or why WhatsApp cannot carry it. */
export function uploadType(
  mime: string | null,
  size: number,
): { type: WaMediaType } | { error: PermanentError } {
  for (const [type, re, max] of UPLOAD_RULES) if (re.test(mime ?? '') && size <= max) return { type };
  if (!DOCUMENT_TYPES.test(mime ?? '')) {
    return {
      error: new PermanentError(`WhatsApp cannot carry ${mime ?? 'this type of'} files`, 'unsupported'),
    };
  }
  if (size > DOCUMENT_MAX) {
    return {
      error: new PermanentError(`The file is larger than WhatsApp's ${DOCUMENT_MAX}-byte limit`, 'too_large'),
    };
  }
  return { type: 'document' };
}

function templateBody(t: OutboundTemplate): Record<string, unknown> {
  const text = (values: string[]) => values.map((v) => ({ type: 'text', text: v }));
  const components: Record<string, unknown>[] = [];
  if (t.headerParameters?.length) components.push({ type: 'header', parameters: text(t.headerParameters) });
  if (t.bodyParameters?.length) components.push({ type: 'body', parameters: text(t.bodyParameters) });
  return {
    type: 'template',
    template: { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) },
  };
}

type Attachment = OutboundMessage['attachments'][number];

/** The Cloud API type one attachment goes out as, or why it cannot go (known before anything is sent). */
function typeOf(a: Attachment): ReturnType<typeof waTypeOf> {
  if (a.stored) {
    const how = uploadType(a.mimeType, a.stored.size);
    if ('error' in how) throw how.error;
    return how.type;
  }
  if (!a.url || !/^https?:\/\//.test(a.url)) {
    throw new PermanentError(
      'The attachment has no public URL WhatsApp could fetch it from',
      'attachment_unavailable',
    );
  }
  return waTypeOf(a.kind, a.mimeType);
}

/** One file as a Cloud API message: uploaded and sent by media id when Switchboard holds it, else by link. */
async function mediaBody(
  http: Http,
  channel: ChannelRuntime,
  phoneNumberId: string,
  a: Attachment,
  type: ReturnType<typeof waTypeOf>,
  caption: string | null,
): Promise<Record<string, unknown>> {
  let ref: { id: string } | { link: string };
  if (a.stored) {
    try {
      ref = {
        id: await graphUploadMedia(http, channel, phoneNumberId, {
          bytes: await a.stored.read(),
          fileName: a.name ?? `file.${type}`,
          mimeType: a.mimeType!,
        }),
      };
    } catch (err) {
      throw whatsappJobError(err);
    }
  } else {
    ref = { link: a.url! };
  }
  return {
    type,
    [type]: {
      ...ref,
      ...(caption !== null ? { caption } : {}),
      ...(type === 'document' && a.name ? { filename: a.name } : {}),
    },
  };
}

/** Interactive reply buttons: at most 3, the body at most 1024 characters (Cloud API limits). */
const REPLY_BUTTONS_MAX = 3;
const BUTTON_BODY_MAX = 1024;
/** A list's row title may be 24 characters, its opening button's label 20. */
const LIST_ROW_TITLE_MAX = 24;

/**
 * Buttons as an `interactive` message: up to 3 as reply buttons (`button`), more as a `list` (one
 * section, up to 10 rows) opened by a "Choose" button. The customer's tap
 * comes back as `interactive.button_reply` / `list_reply` with the id.
 */
export function interactiveBody(body: string, buttons: readonly OutboundButton[]): Record<string, unknown> {
  if (buttons.length <= REPLY_BUTTONS_MAX) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: {
          buttons: buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title.slice(0, 20) } })),
        },
      },
    };
  }
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        // The list's opening button speaks the body's language (the channel's routing language wrote it).
        button: /[а-яё]/i.test(body) ? 'Выбрать' : 'Choose',
        sections: [{ rows: buttons.map((b) => ({ id: b.id, title: b.title.slice(0, LIST_ROW_TITLE_MAX) })) }],
      },
    },
  };
}

/** Media types the Cloud API gives a caption (1024 characters): not audio, not stickers. */
const CAPTIONED = new Set(['image', 'video', 'document']);

/**
 * One operator message as Cloud API messages: a template alone, or, in the order the console shows it
 * (text above files), the text as the first file's caption when that file takes one and the text fits,
 * else the text in 4096-character parts first; then each attachment (a file Switchboard holds is
 * uploaded to `/<phone-number-id>/media` and sent by media id; others by link). The first wamid is
 * kept: statuses for it move the message's ticks.
 */
export async function sendWhatsAppMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  const phoneNumberId = String(channel.settings.phoneNumberId);
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.contactExternalId,
  };
  let context: Record<string, unknown> | undefined = message.replyToProviderMessageId
    ? { context: { message_id: message.replyToProviderMessageId } }
    : undefined;
  const ids: string[] = [];
  const post = async (body: Record<string, unknown>) => {
    let answer: SendAnswer;
    try {
      answer = await graphRequest<SendAnswer>(http, channel, 'POST', `${phoneNumberId}/messages`, {
        ...base,
        ...context,
        ...body,
      });
    } catch (err) {
      throw whatsappJobError(err);
    }
    const id = answer.messages?.[0]?.id;
    if (!id)
      throw new PermanentError('WhatsApp accepted the message but returned no message id', 'no_message_id');
    ids.push(id);
    context = undefined;
  };

  if (message.template) {
    await post(templateBody(message.template));
    return { providerMessageId: ids[0]! };
  }
  const text = message.text?.trim() ? message.text : null;
  // Every file's type first: one WhatsApp cannot carry is refused before the text goes out alone.
  const types = message.attachments.map(typeOf);
  if (message.buttons?.length && text !== null) {
    // Buttons need the text as the interactive message's body: the files go first, uncaptioned.
    for (const [i, a] of message.attachments.entries())
      await post(await mediaBody(http, channel, phoneNumberId, a, types[i]!, null));
    const parts = splitText(text, message.buttons.length <= REPLY_BUTTONS_MAX ? BUTTON_BODY_MAX : TEXT_MAX);
    for (const part of parts.slice(0, -1))
      await post({ type: 'text', text: { body: part, preview_url: false } });
    await post(interactiveBody(parts.at(-1)!, message.buttons));
    return { providerMessageId: ids[0]!, providerMessageIds: ids };
  }
  const plan = captionPlan(text, types.length, CAPTIONED.has(types[0] ?? ''), CAPTION_MAX);
  if (text !== null && plan === 'before') {
    for (const part of splitText(text, TEXT_MAX))
      await post({ type: 'text', text: { body: part, preview_url: false } });
  }
  for (const [i, a] of message.attachments.entries()) {
    await post(
      await mediaBody(
        http,
        channel,
        phoneNumberId,
        a,
        types[i]!,
        i === 0 && plan === 'caption' ? text : null,
      ),
    );
  }
  const first = ids[0];
  if (!first) throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  return { providerMessageId: first };
}
