import type { AuthorKind, DeliveryStatus } from '@switchboard/shared';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { loadMessageDto, type MessageDto } from './message.dto.ts';

export interface NewMessage {
  accountId: string;
  conversationId: string;
  channelId: string;
  direction: 'in' | 'out';
  authorKind: AuthorKind;
  authorId: string | null;
  contentKind: string;
  body: string | null;
  /** A note for colleagues: stored, never sent. */
  private?: boolean;
  providerMessageId?: string | null;
  clientMessageId?: string | null;
  deliveryStatus: DeliveryStatus | null;
  providerTs?: number | null;
  meta: Record<string, unknown>;
}

/** The one insert of a message row (every writer: inbound, echoes, replies, automatic and system lines). */
export async function insertMessage(tx: Tx, m: NewMessage, now: number): Promise<string> {
  return (await insertMessageRow(tx, m, now)).id;
}

/** insertMessage, answering the row as written (a writer that builds the message's DTO from it). */
export async function insertMessageRow(tx: Tx, m: NewMessage, now: number): Promise<Row<'messages'>> {
  const row: Row<'messages'> = {
    id: newId(now),
    account_id: m.accountId,
    conversation_id: m.conversationId,
    channel_id: m.channelId,
    direction: m.direction,
    author_kind: m.authorKind,
    author_id: m.authorId,
    content_kind: m.contentKind,
    body: m.body,
    private: m.private ? 1 : 0,
    provider_message_id: m.providerMessageId ?? null,
    client_message_id: m.clientMessageId ?? null,
    delivery_status: m.deliveryStatus,
    error_code: null,
    error_message: null,
    provider_ts: m.providerTs ?? null,
    meta: JSON.stringify(m.meta),
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('messages').values(row).execute();
  return row;
}

/** Tells the account's consoles about a new message (as it reads inside this transaction). */
export async function emitMessageCreated(
  uow: UnitOfWork,
  accountId: string,
  messageId: string,
  teamId: string | null,
): Promise<MessageDto> {
  const dto = (await loadMessageDto(uow.tx, messageId))!;
  uow.emit(accountId, 'message.created', dto, teamId);
  return dto;
}

/** Tells the account's consoles that a message changed (status, text, files), with its current state. */
export async function emitMessageUpdated(
  uow: UnitOfWork,
  accountId: string,
  messageId: string,
  teamId: string | null,
): Promise<MessageDto | undefined> {
  const dto = await loadMessageDto(uow.tx, messageId);
  if (dto) uow.emit(accountId, 'message.updated', dto, teamId);
  return dto;
}
