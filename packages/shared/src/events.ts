import type { EventPayload } from './event-payloads.ts';

/**
 * The account event vocabulary: one set of names for sockets, outgoing webhooks, automation and reports.
 * Every event carries the account's sequence number so a reconnecting client can ask for what it missed.
 */
export const EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'message.updated',
  'contact.created',
  'contact.updated',
  'presence.updated',
  'conversation.read',
  'contact_note.created',
  'contact_note.updated',
  'contact_note.deleted',
  'contact.erased',
  'conversation.resolved',
  'conversation.reopened',
  'sla.breached',
  'csat.received',
  'notification.created',
  'notification.read',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Events about one user's own state (their read markers, their notifications): delivered only to the sockets of the user
 * named in `payload.userId`, so an operator's other tabs and browsers follow, and nobody else.
 */
export const PERSONAL_EVENT_TYPES = [
  'conversation.read',
  'notification.created',
  'notification.read',
] as const satisfies readonly EventType[];

/** `conversation.read`: how far the user has read a conversation, and what is still unread after it. */
export type ConversationReadPayload = EventPayload<'conversation.read'>;

export interface AccountEvent<T = unknown> {
  accountId: string;
  seq: number;
  type: EventType;
  /** Team the subject belongs to; operators outside it do not receive the event. Null = whole account. */
  teamId: string | null;
  payload: T;
  createdAt: number;
}

/** Socket.IO event names between the server and the console/widget. */
export const SOCKET = {
  event: 'event',
  sync: 'sync',
  ready: 'ready',
  /** console → server: the conversation this tab has open now (`{conversationId}`, null = none); acked. */
  view: 'view',
  /** server → console: who has that conversation open (ephemeral, never in the event log). */
  viewers: 'viewers',
  /** server → console: someone (customer or colleague) is typing in a conversation this tab has open. */
  typing: 'typing',
  /**
   * server → console: the events after the console's last sequence number were pruned by retention, so
   * they cannot be replayed (`{code: 'replay_too_old', seq}`): reload what is on screen; live events
   * continue after `seq`.
   */
  resync: 'resync',
} as const;

/**
 * `contact.erased`: an admin erased a contact (privacy request); its conversations are gone. Carries
 * ids only, so the event log never keeps a copy of what was erased.
 */
export type ContactErasedPayload = EventPayload<'contact.erased'>;

/** The code of `resync`: the asked-for replay reaches past the retention horizon. */
export const REPLAY_TOO_OLD = 'replay_too_old';

export interface ResyncSignal {
  code: typeof REPLAY_TOO_OLD;
  /** The account's current sequence number: live events resume after it. */
  seq: number;
}

/** An operator who has a conversation open right now. */
export interface LiveViewer {
  userId: string;
  name: string;
}

/** `viewers`: everyone (this user included) who has the conversation open, on any node. */
export interface ConversationViewers {
  conversationId: string;
  viewers: LiveViewer[];
}

/**
 * `typing`: a live, unstored signal. The indicator clears itself after `ttlMs` unless repeated, so a lost
 * "stopped" (a closed tab, a dropped node) never leaves it on.
 */
export interface TypingSignal {
  conversationId: string;
  who: { kind: 'contact'; name: string | null } | { kind: 'user'; userId: string; name: string };
  typing: boolean;
  /** An operator writing a private note (not a reply). */
  private: boolean;
  ttlMs: number;
}
