import { proxiedLink } from '../media/proxied-link.ts';
import type { MessageDto } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';

export type { MessageDto };

export async function toMessageDtos(k: Tx, rows: Row<'messages'>[]): Promise<MessageDto[]> {
  const ids = rows.map((r) => r.id);
  const atts = ids.length
    ? await k.selectFrom('attachments').selectAll().where('message_id', 'in', ids).orderBy('id').execute()
    : [];
  const byMsg = new Map<string, Row<'attachments'>[]>();
  for (const a of atts) byMsg.set(a.message_id, [...(byMsg.get(a.message_id) ?? []), a]);
  return rows.map((r) => dtoOf(r, byMsg.get(r.id) ?? []));
}

/** A message row and its attachments (in id order) as the API and events show them. */
export function dtoOf(r: Row<'messages'>, atts: Row<'attachments'>[]): MessageDto {
  // Mentions are kept in meta (no column to migrate) and given their own field.
  const { mentions, ...meta } = JSON.parse(r.meta) as Record<string, unknown>;
  return {
    id: r.id,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    direction: r.direction as MessageDto['direction'],
    authorKind: r.author_kind as MessageDto['authorKind'],
    authorId: r.author_id,
    contentKind: r.content_kind as MessageDto['contentKind'],
    text: r.body,
    private: r.private === 1,
    mentions: Array.isArray(mentions) ? mentions.filter((m): m is string => typeof m === 'string') : [],
    clientMessageId: r.client_message_id,
    providerMessageId: r.provider_message_id,
    deliveryStatus: r.delivery_status as MessageDto['deliveryStatus'],
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    providerTs: r.provider_ts,
    meta,
    attachments: atts.map((a) => ({
      id: a.id,
      kind: a.kind as MessageDto['contentKind'],
      name: a.name,
      mimeType: a.mime_type,
      size: a.size,
      // Our copy, or our on-the-fly fetch of a link-only inbound file: the console loads our origin only.
      url:
        a.storage_key || proxiedLink({ ...a, direction: r.direction })
          ? `/api/v1/attachments/${a.id}`
          : a.source_url,
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function loadMessageDto(k: Tx, id: string): Promise<MessageDto | undefined> {
  const row = await k.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await toMessageDtos(k, [row]))[0] : undefined;
}

/** Delivery states only move forward (receipts arrive out of order); failed is terminal. */
const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };
export function deliveryAdvances(from: string | null, to: string): boolean {
  if (from === 'failed') return false;
  if (to === 'failed') return from !== 'read';
  return (RANK[to] ?? -1) > (RANK[from ?? 'queued'] ?? 0);
}

export function previewOf(text: string | null, kind: string): string {
  return text ? text.slice(0, 200) : `[${kind}]`;
}
