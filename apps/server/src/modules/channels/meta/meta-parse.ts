import type { ContentKind } from '@switchboard/shared';
import { z } from 'zod';
import type { InboundAttachment, InboundEvent } from '../channel-adapter.ts';
import { type MetaStoredEvent, metaTime, partyId } from './meta-messaging.ts';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
type Content = Pick<MessageEvent, 'contentKind' | 'text' | 'attachments'> & { meta: Record<string, unknown> };

export interface ParseOptions {
  label: 'Messenger' | 'Instagram';
  /**
   * Download attachments into Switchboard's storage (Messenger's CDN links expire). Instagram's terms
   * forbid keeping customers' media, so its attachments stay links to Meta's privacy-aware CDN.
   */
  downloadMedia: boolean;
  /** The prefix our sends put in `message.metadata`, recognised on echoes. */
  echoMarker: string;
}

/** Author shown for echoes of messages a person sent outside Switchboard. */
export const PAGE_INBOX_AUTHOR: Record<ParseOptions['label'], string> = {
  Messenger: 'Page inbox',
  Instagram: 'Instagram app',
};

const attachment = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      sticker_id: z.union([z.number(), z.string()]).optional(),
      title: z.string().optional(),
      reel_video_id: z.union([z.number(), z.string()]).optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    })
    .nullish(),
  title: z.string().optional(),
  url: z.string().optional(),
});

const message = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  attachments: z.array(attachment).optional(),
  quick_reply: z.looseObject({ payload: z.string().optional() }).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().optional(),
      story: z.looseObject({ id: z.string().optional(), url: z.string().optional() }).optional(),
    })
    .optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  app_id: z.union([z.number(), z.string()]).optional(),
  metadata: z.string().optional(),
});

const httpUrl = (u: string | undefined): string | undefined => (u && /^https?:\/\//i.test(u) ? u : undefined);

const MEDIA_KIND: Record<string, ContentKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
};

/** Attachment types that are links to something on Facebook or Instagram rather than files. */
const LINK_TYPES: Record<string, string> = {
  share: 'Shared a post',
  ig_post: 'Shared a post',
  post: 'Shared a post',
  reel: 'Shared a reel',
  ig_reel: 'Shared a reel',
  story_mention: 'Mentioned you in their story',
  fallback: 'Shared a link',
  template: 'Sent a template',
  appointment_booking: 'Booked an appointment',
};

function contentOf(m: z.infer<typeof message>, opts: ParseOptions): Content {
  const meta: Record<string, unknown> = {};
  const attachments: InboundAttachment[] = [];
  const lines: string[] = [];
  let kind: ContentKind = 'text';
  const atts = m.attachments ?? [];
  // During Meta's sticker transition a sticker comes twice: as `sticker` and as `image` with the same URL.
  const stickerUrls = new Set(atts.filter((a) => a.type === 'sticker').map((a) => a.payload?.url));
  for (const a of atts) {
    const url = httpUrl(a.payload?.url ?? a.url);
    const stickerId = a.payload?.sticker_id;
    if (a.type === 'image' && stickerUrls.has(a.payload?.url) && stickerId === undefined) continue;
    if (a.type === 'sticker' || (a.type === 'image' && stickerId !== undefined)) {
      // Shown as an image (Messenger stickers are PNG/GIF pictures), the sticker id kept.
      meta.sticker = { id: stickerId !== undefined ? String(stickerId) : null };
      if (url) attachments.push(fileAttachment('image', url, opts));
      if (kind === 'text') kind = 'image';
      continue;
    }
    const media = MEDIA_KIND[a.type];
    if (media && url) {
      attachments.push(fileAttachment(media, url, opts));
      if (kind === 'text') kind = media;
      continue;
    }
    if (a.type === 'location' && a.payload?.coordinates) {
      const c = a.payload.coordinates;
      meta.location = { latitude: c.lat, longitude: c.long };
      lines.push(`${a.title ? `${a.title} ` : ''}(${c.lat}, ${c.long})`);
      kind = 'location';
      continue;
    }
    const label = LINK_TYPES[a.type] ?? `Sent a ${a.type.replace(/_/g, ' ')}`;
    const title = a.payload?.title ?? a.title;
    lines.push([`${label}${title ? `: ${title}` : ''}`, url].filter(Boolean).join(' '));
    const links = (meta.links as unknown[] | undefined) ?? [];
    links.push({ type: a.type, url: url ?? null, ...(title ? { title } : {}) });
    meta.links = links;
    if (a.type === 'story_mention') meta.story = { kind: 'mention', url: url ?? null };
  }
  if (m.reply_to?.story) {
    meta.story = {
      kind: 'reply',
      id: m.reply_to.story.id ?? null,
      url: httpUrl(m.reply_to.story.url) ?? null,
    };
  }
  if (m.reply_to?.mid) meta.replyTo = m.reply_to.mid;
  if (m.quick_reply) meta.quickReply = { payload: m.quick_reply.payload ?? null };
  const text = [m.text, ...lines].filter((x) => typeof x === 'string' && x.length > 0).join('\n');
  if (m.is_unsupported && !text && attachments.length === 0) {
    return {
      contentKind: 'system',
      text: `The customer sent a ${opts.label} message that ${opts.label} does not pass on to apps`,
      attachments: [],
      meta: { unsupported: true },
    };
  }
  return { contentKind: kind, text: text || null, attachments, meta };
}

function fileAttachment(kind: ContentKind, url: string, opts: ParseOptions): InboundAttachment {
  return opts.downloadMedia ? { kind, url, providerRef: url } : { kind, url };
}

/** Normalises one stored Messenger or Instagram messaging item. */
export function parseMetaEvent(payload: unknown, opts: ParseOptions): InboundEvent[] {
  const { event: e } = payload as MetaStoredEvent;
  const sender = partyId(e.sender);
  const recipient = partyId(e.recipient);
  const at = metaTime(e.timestamp);

  if (e.message !== undefined) {
    const parsed = message.safeParse(e.message);
    if (!parsed.success) return [];
    const m = parsed.data;
    if (m.is_echo) {
      if (!recipient) return [];
      const content = contentOf(m, { ...opts, downloadMedia: false });
      const marker =
        opts.echoMarker && m.metadata?.startsWith(opts.echoMarker)
          ? m.metadata.slice(opts.echoMarker.length)
          : null;
      return [
        {
          kind: 'echo',
          providerMessageId: m.mid,
          contact: { externalId: recipient },
          contentKind: content.contentKind,
          text: content.text,
          attachments: content.attachments,
          providerTs: at,
          ourMessageId: marker || null,
          ownSendsMarked: opts.echoMarker !== '',
          author: PAGE_INBOX_AUTHOR[opts.label],
          meta: {
            ...content.meta,
            echo: { appId: m.app_id !== undefined ? String(m.app_id) : null },
          },
        },
      ];
    }
    if (!sender) return [];
    if (m.is_deleted) return [{ kind: 'revoke', providerMessageId: m.mid, revokedAt: at }];
    const content = contentOf(m, opts);
    return [
      {
        kind: 'message',
        providerMessageId: m.mid,
        contact: { externalId: sender },
        contentKind: content.contentKind,
        text: content.text,
        attachments: content.attachments,
        providerTs: at,
        meta: content.meta,
      },
    ];
  }
  if (!sender) return [];
  const contact = { externalId: sender };

  const edit = z
    .looseObject({ mid: z.string().min(1), text: z.string().optional(), num_edit: z.unknown().optional() })
    .safeParse(e.message_edit);
  if (edit.success) {
    const n = Number(edit.data.num_edit);
    return [
      {
        kind: 'message',
        providerMessageId: edit.data.mid,
        contact,
        contentKind: 'text',
        text: edit.data.text ?? null,
        attachments: [],
        providerTs: at,
        meta: Number.isFinite(n) ? { numEdit: n } : {},
        // Ordered by Meta's timestamp; the edit count (at most 5) breaks a tie within a millisecond.
        editedAt: (at ?? 0) + (Number.isFinite(n) ? n : 0),
      },
    ];
  }

  const reaction = z
    .looseObject({
      mid: z.string().min(1),
      action: z.string().optional(),
      emoji: z.string().optional(),
      reaction: z.string().optional(),
    })
    .safeParse(e.reaction);
  if (reaction.success) {
    const r = reaction.data;
    const removed = r.action === 'unreact';
    const emoji = r.emoji ?? '';
    return [
      {
        kind: 'message',
        providerMessageId: `reaction:${r.mid}:${at ?? 0}:${removed ? 'unreact' : 'react'}:${emoji}`,
        contact,
        contentKind: 'text',
        text: removed ? 'Removed a reaction' : `Reacted ${emoji || r.reaction || ''}`.trim(),
        attachments: [],
        providerTs: at,
        meta: {
          reaction: {
            messageId: r.mid,
            emoji: emoji || null,
            name: r.reaction ?? null,
            action: r.action ?? 'react',
          },
        },
      },
    ];
  }

  const delivery = z
    .looseObject({ mids: z.array(z.string()).optional(), watermark: z.unknown().optional() })
    .safeParse(e.delivery);
  if (delivery.success) {
    const out: InboundEvent[] = (delivery.data.mids ?? []).map((mid) => ({
      kind: 'status' as const,
      providerMessageId: mid,
      status: 'delivered' as const,
    }));
    const upTo = metaTime(delivery.data.watermark);
    if (upTo !== null) out.push({ kind: 'receipt', contactExternalId: sender, status: 'delivered', upTo });
    return out;
  }

  const read = z
    .looseObject({ watermark: z.unknown().optional(), mid: z.string().optional() })
    .safeParse(e.read);
  if (read.success) {
    const upTo = metaTime(read.data.watermark);
    if (upTo === null && !read.data.mid) return [];
    return [
      {
        kind: 'receipt',
        contactExternalId: sender,
        status: 'read',
        upTo,
        ...(read.data.mid ? { throughProviderMessageId: read.data.mid } : {}),
      },
    ];
  }

  const postback = z
    .looseObject({
      mid: z.string().optional(),
      title: z.string().optional(),
      payload: z.string().optional(),
      referral: z.unknown().optional(),
    })
    .safeParse(e.postback);
  if (postback.success) {
    const p = postback.data;
    return [
      {
        kind: 'message',
        providerMessageId: p.mid ?? `postback:${sender}:${at ?? 0}:${p.payload ?? ''}`,
        contact,
        contentKind: 'text',
        text: p.title ?? p.payload ?? null,
        attachments: [],
        providerTs: at,
        meta: {
          postback: {
            title: p.title ?? null,
            payload: p.payload ?? null,
            ...(p.referral ? { referral: p.referral } : {}),
          },
        },
      },
    ];
  }
  return [];
}
