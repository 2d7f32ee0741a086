import type { VisitorMessage } from '@switchboard/shared';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { MessageDto } from '../../messages/message.dto.ts';
import { splitVisitorMessageId } from './widget-payload.ts';

type Kind = VisitorMessage['kind'];

export function attachmentPath(channelId: string, attachmentId: string): string {
  return `/api/v1/widget/${channelId}/attachments/${attachmentId}`;
}

/** Operator messages visitors may see: delivered to the widget by the adapter, never private. */
export const VISIBLE_OUT_STATUSES = ['sent', 'delivered', 'read'] as const;

function visibleUrl(channelId: string, a: Pick<Row<'attachments'>, 'id' | 'storage_key' | 'source_url'>) {
  if (a.storage_key) return attachmentPath(channelId, a.id);
  return a.source_url && /^https?:\/\//i.test(a.source_url) ? a.source_url : null;
}

function statusOf(r: Pick<Row<'messages'>, 'direction' | 'delivery_status'>): VisitorMessage['status'] {
  if (r.direction !== 'out') return null;
  return (VISIBLE_OUT_STATUSES as readonly string[]).includes(r.delivery_status ?? '')
    ? (r.delivery_status as VisitorMessage['status'])
    : null;
}

export async function toVisitorMessages(k: Tx, rows: Row<'messages'>[]): Promise<VisitorMessage[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const atts = await k
    .selectFrom('attachments')
    .selectAll()
    .where('message_id', 'in', ids)
    .orderBy('id')
    .execute();
  const authorIds = [
    ...new Set(rows.filter((r) => r.author_kind === 'user' && r.author_id).map((r) => r.author_id!)),
  ];
  const users = authorIds.length
    ? await k.selectFrom('users').select(['id', 'name']).where('id', 'in', authorIds).execute()
    : [];
  const nameOf = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    clientMessageId:
      r.direction === 'in' && r.provider_message_id
        ? (splitVisitorMessageId(r.provider_message_id)?.clientMessageId ?? null)
        : null,
    direction: r.direction === 'in' ? 'in' : 'out',
    kind: r.content_kind as Kind,
    text: r.body,
    authorName: r.author_id ? (nameOf.get(r.author_id) ?? null) : null,
    attachments: atts
      .filter((a) => a.message_id === r.id)
      .map((a) => ({
        id: a.id,
        kind: a.kind as Kind,
        name: a.name,
        mimeType: a.mime_type,
        size: a.size,
        url: visibleUrl(r.channel_id, a),
      })),
    status: statusOf(r),
    ...buttonsOf(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

function buttonsOf(
  r: Pick<Row<'messages'>, 'direction' | 'meta'>,
): Pick<VisitorMessage, 'buttons' | 'buttonsStyle'> {
  if (r.direction !== 'out') return { buttons: null, buttonsStyle: null };
  const meta = JSON.parse(r.meta || '{}') as {
    buttons?: { id: string; title: string }[];
    automatic?: string;
  };
  if (!meta.buttons?.length) return { buttons: null, buttonsStyle: null };
  return {
    buttons: meta.buttons.map((b) => ({ id: b.id, title: b.title })),
    buttonsStyle: meta.automatic === 'csat' ? 'rating' : 'choice',
  };
}

/** A visitor's own message as announced on the account event bus. */
export function visitorMessageFromDto(m: MessageDto): VisitorMessage {
  return {
    id: m.id,
    clientMessageId: m.providerMessageId
      ? (splitVisitorMessageId(m.providerMessageId)?.clientMessageId ?? null)
      : null,
    direction: 'in',
    kind: m.contentKind,
    text: m.text,
    authorName: null,
    attachments: m.attachments.map((a) => ({
      id: a.id,
      kind: a.kind,
      name: a.name,
      mimeType: a.mimeType,
      size: a.size,
      url:
        a.url === null
          ? null
          : a.url.startsWith('/api/v1/attachments/')
            ? attachmentPath(m.channelId, a.id)
            : /^https?:\/\//i.test(a.url)
              ? a.url
              : null,
    })),
    status: null,
    buttons: null,
    buttonsStyle: null,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}
