import type { ContentKind } from '@switchboard/shared';
import type { ChannelRuntime, InboundAttachment, InboundEvent } from '../channel-adapter.ts';
import type { ViberCallback } from './viber-webhook.ts';
import { userIdOf } from './viber-webhook.ts';

interface ViberUser {
  id?: string;
  name?: string;
  avatar?: string;
  country?: string;
  language?: string;
  api_version?: number;
}

interface ViberMessage {
  type?: string;
  text?: string;
  media?: string;
  thumbnail?: string;
  file_name?: string;
  size?: number;
  duration?: number;
  sticker_id?: number | string;
  location?: { lat?: number; lon?: number };
  contact?: { name?: string; phone_number?: string; avatar?: string };
  tracking_data?: string;
}

interface Content {
  kind: ContentKind;
  text: string | null;
  attachments: InboundAttachment[];
  meta?: Record<string, unknown>;
}

const httpUrl = (u: unknown): u is string => typeof u === 'string' && /^https?:\/\//.test(u);

/** The callback's time (ms since the epoch) when it is a plausible one. */
function timeOf(cb: ViberCallback): number | null {
  const t = Number(cb.timestamp);
  return Number.isSafeInteger(t) && t > 0 ? t : null;
}

/**
 * One stored Viber callback as normalised events: a customer's message (and, since writing to a bot
 * subscribes the writer again, the end of an earlier unsubscribe), a subscription change, or a receipt
 * for one of our messages (`delivered`, `seen` → read, `failed` with Viber's description).
 */
export function parseViberEvent(payload: unknown, _channel: ChannelRuntime): InboundEvent[] {
  const cb = payload as ViberCallback;
  const token = cb.message_token;
  const user = userIdOf(cb);
  if (!token || !user) return [];
  switch (cb.event) {
    case 'message': {
      const sender = (cb.sender ?? {}) as ViberUser;
      const c = contentOf((cb.message ?? {}) as ViberMessage);
      const contact = { externalId: user, name: sender.name?.trim() || null };
      return [
        {
          kind: 'message',
          providerMessageId: token,
          contact,
          contentKind: c.kind,
          text: c.text,
          attachments: c.attachments,
          providerTs: timeOf(cb),
          meta: {
            viber: compact({ country: sender.country, language: sender.language, silent: cb.silent }),
            ...c.meta,
          },
        },
        { kind: 'consent', contact, optIn: true, source: 'viber:message', liftOnly: true },
      ];
    }
    case 'subscribed': {
      const u = (cb.user ?? {}) as ViberUser;
      return [
        {
          kind: 'consent',
          contact: { externalId: user, name: u.name?.trim() || null },
          optIn: true,
          source: 'viber:subscribed',
        },
      ];
    }
    case 'unsubscribed':
      return [{ kind: 'consent', contact: { externalId: user }, optIn: false, source: 'viber:unsubscribed' }];
    case 'delivered':
      return [{ kind: 'status', providerMessageId: token, status: 'delivered' }];
    case 'seen':
      return [{ kind: 'status', providerMessageId: token, status: 'read' }];
    case 'failed': {
      const desc = typeof cb.desc === 'string' && cb.desc ? cb.desc.slice(0, 300) : null;
      return [
        {
          kind: 'status',
          providerMessageId: token,
          status: 'failed',
          errorCode: 'not_delivered',
          errorMessage: `Viber could not deliver the message${desc ? `: ${desc}` : ''}`,
        },
      ];
    }
    default:
      return [];
  }
}

function contentOf(m: ViberMessage): Content {
  const text = typeof m.text === 'string' && m.text.length > 0 ? m.text : null;
  const media = (kind: ContentKind, extra: Partial<InboundAttachment> = {}): InboundAttachment[] =>
    httpUrl(m.media) ? [{ kind, providerRef: m.media, ...extra }] : [];
  switch (m.type) {
    case 'text':
      return { kind: 'text', text, attachments: [] };
    case 'picture':
      return { kind: 'image', text, attachments: media('image') };
    case 'video':
      return {
        kind: 'video',
        text,
        attachments: media('video', typeof m.size === 'number' ? { size: m.size } : {}),
        meta: compact({ duration: m.duration }),
      };
    case 'file':
      return {
        kind: 'document',
        text: null,
        attachments: media('document', {
          ...(m.file_name ? { name: m.file_name.slice(0, 255) } : {}),
          ...(typeof m.size === 'number' ? { size: m.size } : {}),
        }),
      };
    case 'sticker':
      return {
        kind: 'sticker',
        text: null,
        attachments: media('sticker'),
        meta: { sticker: { id: m.sticker_id === undefined ? null : String(m.sticker_id) } },
      };
    case 'contact': {
      const name = m.contact?.name?.trim() ?? '';
      const phone = m.contact?.phone_number?.trim() ?? '';
      return {
        kind: 'contact',
        text: `${name} ${phone}`.trim() || null,
        attachments: [],
        meta: { sharedContact: { name, phone } },
      };
    }
    case 'url':
      return {
        kind: 'text',
        text: typeof m.media === 'string' ? m.media : text,
        attachments: [],
        meta: { url: true },
      };
    case 'location': {
      const lat = Number(m.location?.lat);
      const lon = Number(m.location?.lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) break;
      return {
        kind: 'location',
        text: `${lat}, ${lon}`,
        attachments: [],
        meta: { location: { latitude: lat, longitude: lon } },
      };
    }
  }
  return {
    kind: 'system',
    text: `The customer sent a Viber ${String(m.type ?? 'unknown')} message, which Switchboard cannot show`,
    attachments: [],
  };
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
