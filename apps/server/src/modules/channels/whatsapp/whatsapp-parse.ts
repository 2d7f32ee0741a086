import type { InboundAttachment, InboundEvent } from '../channel-adapter.ts';
import { describeWhatsAppError } from './whatsapp-errors.ts';
import {
  type WaMessage,
  type WaStoredEvent,
  waEdit,
  waMessage,
  waRevoke,
  waStatus,
} from './whatsapp-types.ts';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
type Content = Pick<MessageEvent, 'contentKind' | 'text' | 'attachments'> & {
  meta?: Record<string, unknown>;
};

const STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice message played is at least read.
  played: 'read',
  failed: 'failed',
};

/** Normalises one stored WhatsApp event (a message with its sender's profile, or a status). */
export function parseWhatsAppEvent(payload: unknown): InboundEvent[] {
  const p = payload as WaStoredEvent;
  if (p.kind === 'status') return parseStatus(p.status);
  const raw = p.message as {
    id: string;
    from?: string;
    from_user_id?: string;
    type?: string;
    timestamp?: string;
    edit?: unknown;
    revoke?: unknown;
  };
  const ts = Number(raw.timestamp);
  const at = Number.isFinite(ts) && ts > 0 ? ts * 1000 : null;
  // An edit or revoke names the customer's earlier message; its own id only keys the webhook event.
  if (raw.type === 'revoke') {
    const r = waRevoke.safeParse(raw.revoke);
    if (r.success) return [{ kind: 'revoke', providerMessageId: r.data.original_message_id, revokedAt: at }];
  }
  const from = raw.from ?? raw.from_user_id ?? p.contact?.wa_id ?? p.contact?.user_id;
  if (!from) return [];
  const contact = {
    externalId: from,
    name: p.contact?.profile?.name ?? null,
    phone: raw.from ? `+${raw.from}` : null,
  };
  if (raw.type === 'edit') {
    const edit = waEdit.safeParse(raw.edit);
    const version = edit.success
      ? waMessage.safeParse({ ...edit.data.message, id: raw.id, timestamp: raw.timestamp ?? '' })
      : undefined;
    if (edit.success && version?.success) {
      const content = contentOf(version.data);
      return [
        {
          kind: 'message',
          providerMessageId: edit.data.original_message_id,
          contact,
          contentKind: content.contentKind,
          text: content.text,
          attachments: content.attachments,
          providerTs: at,
          meta: { whatsapp: { type: version.data.type }, ...content.meta },
          // Replaces the stored text when the original is stored; otherwise stored as a new message.
          editedAt: at ?? 0,
        },
      ];
    }
  }
  const parsed = waMessage.safeParse(p.message);
  const content: Content = parsed.success
    ? contentOf(parsed.data)
    : {
        contentKind: 'system',
        text: `Switchboard could not read this WhatsApp message (type ${raw.type ?? 'unknown'})`,
        attachments: [],
      };
  const m = parsed.success ? parsed.data : undefined;
  return [
    {
      kind: 'message',
      providerMessageId: raw.id,
      contact,
      contentKind: content.contentKind,
      text: content.text,
      attachments: content.attachments,
      providerTs: at,
      meta: {
        whatsapp: { type: raw.type ?? null, ...(m?.context?.forwarded ? { forwarded: true } : {}) },
        ...(m?.context?.id ? { replyTo: m.context.id } : {}),
        ...(m?.referral ? { referral: m.referral } : {}),
        ...content.meta,
      },
    },
  ];
}

function parseStatus(raw: unknown): InboundEvent[] {
  const s = waStatus.safeParse(raw);
  if (!s.success) return [];
  const status = STATUS[s.data.status];
  if (!status) return [];
  if (status !== 'failed') return [{ kind: 'status', providerMessageId: s.data.id, status }];
  const e = s.data.errors?.[0];
  const failure = e
    ? describeWhatsAppError(e.code)
    : { code: 'failed', message: 'WhatsApp reported the message as failed' };
  return [
    {
      kind: 'status',
      providerMessageId: s.data.id,
      status,
      errorCode: failure.code,
      errorMessage: failure.message,
    },
  ];
}

function mediaContent(
  kind: InboundAttachment['kind'],
  m: { id: string; mime_type?: string; caption?: string; filename?: string },
): Content {
  return {
    contentKind: kind,
    text: m.caption ?? null,
    attachments: [{ kind, providerRef: m.id, mimeType: m.mime_type, name: m.filename }],
  };
}

function contentOf(m: WaMessage): Content {
  switch (m.type) {
    case 'text':
      if (m.text) return { contentKind: 'text', text: m.text.body, attachments: [] };
      break;
    case 'image':
      if (m.image) return mediaContent('image', m.image);
      break;
    case 'video':
      if (m.video) return mediaContent('video', m.video);
      break;
    case 'audio':
      if (m.audio) return mediaContent(m.audio.voice ? 'voice' : 'audio', m.audio);
      break;
    case 'document':
      if (m.document) return mediaContent('document', m.document);
      break;
    case 'sticker':
      if (m.sticker) {
        return {
          ...mediaContent('sticker', m.sticker),
          meta: { sticker: { animated: m.sticker.animated ?? false } },
        };
      }
      break;
    case 'location':
      if (m.location) {
        const l = m.location;
        const label = [l.name, l.address].filter(Boolean).join(', ');
        return {
          contentKind: 'location',
          text: `${label ? `${label} ` : ''}(${l.latitude}, ${l.longitude})`,
          attachments: [],
          meta: { location: l },
        };
      }
      break;
    case 'contacts':
      if (m.contacts) {
        const shared = m.contacts.map((c) => ({
          name: c.name?.formatted_name ?? null,
          phones: (c.phones ?? []).map((ph) => ph.phone).filter(Boolean),
          emails: (c.emails ?? []).map((e) => e.email).filter(Boolean),
        }));
        return {
          contentKind: 'contact',
          text: shared.map((c) => [c.name, ...c.phones].filter(Boolean).join(' ')).join('\n'),
          attachments: [],
          meta: { sharedContacts: shared },
        };
      }
      break;
    case 'interactive': {
      const i = m.interactive;
      const choice = i?.button_reply ?? i?.list_reply;
      if (choice) {
        return {
          contentKind: 'text',
          text: choice.title,
          attachments: [],
          // `buttonId`: the id our button or list row was sent with (the same key on every channel).
          meta: { buttonId: choice.id, interactive: { type: i!.type, id: choice.id } },
        };
      }
      if (i?.nfm_reply) {
        return {
          contentKind: 'text',
          text: i.nfm_reply.body ?? 'Form submitted',
          attachments: [],
          meta: { interactive: { type: i.type, response: i.nfm_reply.response_json ?? null } },
        };
      }
      break;
    }
    case 'button':
      if (m.button) {
        return {
          contentKind: 'text',
          text: m.button.text,
          attachments: [],
          meta: { button: { payload: m.button.payload ?? null } },
        };
      }
      break;
    case 'reaction':
      if (m.reaction) {
        const emoji = m.reaction.emoji ?? '';
        return {
          contentKind: 'text',
          text: emoji ? `Reacted ${emoji}` : 'Removed a reaction',
          attachments: [],
          meta: { reaction: { messageId: m.reaction.message_id, emoji: emoji || null } },
        };
      }
      break;
    default:
      break;
  }
  const err = m.errors?.[0];
  const why = err ? ` (error ${err.code}${err.title ? `: ${err.title}` : ''})` : '';
  // Meta may deliver an edit or a deletion as `unsupported` (131051) without saying which message.
  const type = m.type === 'unsupported' ? (m.unsupported?.type ?? m.type) : m.type;
  const text =
    type === 'edit'
      ? `The customer edited an earlier WhatsApp message; WhatsApp did not send the new text${why}`
      : type === 'revoke'
        ? `The customer deleted an earlier WhatsApp message; WhatsApp did not say which one${why}`
        : `The customer sent a WhatsApp ${type} message, which Switchboard cannot show${why}`;
  return { contentKind: 'system', text, attachments: [], meta: { unsupported: type } };
}
