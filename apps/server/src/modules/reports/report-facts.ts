import { type AccountEvent, type AuthorKind, type ConversationStatus, isEvent } from '@switchboard/shared';

/**
 * What the rollups need from an event, independent of where it came from: a live account event or
 * a row of history during a rebuild. One reducer consumes both, so the definitions cannot drift.
 */
export interface ConversationFact {
  kind: 'conversation';
  at: number;
  accountId: string;
  conversationId: string;
  channelId: string;
  teamId: string | null;
  assigneeId: string | null;
  status: ConversationStatus;
  createdAt: number;
  /** Set when the conversation was merged into another (conversations/merge-split): its request goes on there. */
  mergedInto?: string;
}

export interface MessageFact {
  kind: 'message';
  at: number;
  accountId: string;
  conversationId: string;
  channelId: string;
  direction: 'in' | 'out';
  authorKind: AuthorKind;
  authorId: string | null;
  private: boolean;
}

export interface PresenceFact {
  kind: 'presence';
  at: number;
  accountId: string;
  userId: string;
  availability: string;
}

export type ReportFact = ConversationFact | MessageFact | PresenceFact;

/** The account event types the rollups listen to. */
export const REPORT_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'presence.updated',
] as const;

interface ConversationPayload {
  id: string;
  status: ConversationStatus;
  assigneeId: string | null;
  teamId: string | null;
  channel: { id: string };
  createdAt: number;
  updatedAt: number;
  mergedIntoId?: string;
}

interface MessagePayload {
  conversationId: string;
  channelId: string;
  direction: 'in' | 'out';
  authorKind: AuthorKind;
  authorId: string | null;
  private: boolean;
  createdAt: number;
}

/** The fact an account event carries for the rollups, or null when it carries none. */
export function factOfEvent(
  e: Pick<AccountEvent, 'accountId' | 'type' | 'payload' | 'createdAt'>,
): ReportFact | null {
  if (e.type === 'conversation.created' || e.type === 'conversation.updated') {
    const c = e.payload as ConversationPayload;
    return {
      kind: 'conversation',
      // The change happened when the row was written; the event time is the fallback.
      at: c.updatedAt ?? e.createdAt,
      accountId: e.accountId,
      conversationId: c.id,
      channelId: c.channel.id,
      teamId: c.teamId,
      assigneeId: c.assigneeId,
      status: c.status,
      createdAt: c.createdAt,
      ...(c.mergedIntoId ? { mergedInto: c.mergedIntoId } : {}),
    };
  }
  if (e.type === 'message.created') {
    const m = e.payload as MessagePayload;
    return {
      kind: 'message',
      at: m.createdAt,
      accountId: e.accountId,
      conversationId: m.conversationId,
      channelId: m.channelId,
      direction: m.direction,
      authorKind: m.authorKind,
      authorId: m.authorId,
      private: m.private,
    };
  }
  if (isEvent(e, 'presence.updated')) {
    const p = e.payload;
    return {
      kind: 'presence',
      at: e.createdAt,
      accountId: e.accountId,
      userId: p.userId,
      availability: p.availability,
    };
  }
  return null;
}
