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
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

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
} as const;
