import type {
  ApiTokenDto,
  AuthorKind,
  Availability,
  ChannelHealth,
  ContentKind,
  ConversationStatus,
  DeliveryStatus,
  OutboundMedia,
  Priority,
  Role,
} from '@switchboard/shared';

/** Client-side mirrors of the server's response schemas (apps/server/src/modules/**). */
export interface Me {
  user: { id: string; email: string; name: string };
  account: { id: string; name: string };
  role: Role;
  availability: Availability;
  capacity: number;
  teamIds: string[];
  csrfToken: string | null;
  /** An admin set the password: only the change-password screen until the person chooses their own. */
  passwordChangeRequired: boolean;
  /** The account requires two-factor sign-in and this user has not enrolled yet. */
  twoFactorEnrollmentRequired: boolean;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  priority: Priority;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  channel: { id: string; type: string; name: string };
  contact: { id: string; name: string | null };
  snoozedUntil: number | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  lastActivityAt: number;
  lastMessagePreview: string | null;
  firstResponseAt: number | null;
  firstResponseMs: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Customer messages this operator has not read (lists and single reads; events leave it out). */
  unreadCount?: number;
}

/** GET /api/v1/conversations/counts */
export interface ConversationCounts {
  views: { mine: number; unassigned: number; all: number };
  statuses: Record<ConversationStatus, number>;
  teams: { teamId: string | null; count: number }[];
  channels: { channelId: string; count: number }[];
}

/** POST /api/v1/conversations/:id/read, and the `conversation.read` event. */
export interface ReadState {
  conversationId: string;
  userId: string;
  lastReadMessageId: string | null;
  lastReadAt: number | null;
  unreadCount: number;
}

/** A file uploaded for a reply (`POST /api/v1/uploads`), sent by `attachments: [{uploadId}]`. */
export interface Upload {
  id: string;
  fileName: string | null;
  mimeType: string;
  size: number;
  kind: ContentKind;
  sha256: string;
}

export interface Attachment {
  id: string;
  kind: ContentKind;
  name: string | null;
  mimeType: string | null;
  size: number | null;
  url: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  channelId: string;
  direction: 'in' | 'out';
  authorKind: AuthorKind;
  authorId: string | null;
  contentKind: ContentKind;
  text: string | null;
  private: boolean;
  clientMessageId: string | null;
  providerMessageId: string | null;
  deliveryStatus: DeliveryStatus | null;
  error: { code: string; message: string } | null;
  providerTs: number | null;
  attachments: Attachment[];
  createdAt: number;
  updatedAt: number;
  /** Structured facts behind a system message (e.g. an assignment), when the server sends them. */
  meta?: Record<string, unknown>;
  /** Console-only: a reply still on its way to the server, or one the server never got. */
  local?: 'sending' | 'failed';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Channel {
  id: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  teamId: string | null;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  /** Which uploaded files the channel can send to the customer (types and sizes). */
  outboundMedia?: OutboundMedia;
  connection?: Record<string, unknown>;
  /** Admins only: what the provider reported about the whole channel. */
  health?: ChannelHealth;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  availability: Availability;
  capacity: number;
  active: boolean;
  teamIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  createdAt: number;
}

/** The shape is the server's (packages/shared security.ts). */
export type ApiToken = ApiTokenDto;

export interface MessagingWindow {
  open: boolean;
  reason: 'open' | 'unlimited' | 'no_inbound' | 'expired' | 'opted_in' | 'opted_out';
  windowMs: number | null;
  lastInboundAt: number | null;
  closesAt: number | null;
  fallback: 'template' | 'none';
  /** The window closed, but an operator's reply may still go with this provider tag until closesAt. */
  tag: { name: string; closesAt: number } | null;
  now: number;
}

export interface Contact {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
  identities: {
    id: string;
    channel: { id: string; type: string; name: string };
    externalId: string;
    createdAt: number;
  }[];
  labels: string[];
  /** Scopes with a consent decision on record (sms, telegram, …). */
  consent?: { scope: string; status: 'opted_in' | 'opted_out' }[];
  createdAt: number;
  updatedAt: number;
}

export interface ContactNote {
  id: string;
  contactId: string;
  text: string;
  author: { id: string; name: string };
  createdAt: number;
  updatedAt: number;
}

export interface Template {
  id: string;
  name: string;
  shortcut: string;
  text: string;
  scope: string;
  teamId: string | null;
  ownerId: string | null;
  variables: { name: string; known: boolean }[];
  createdAt: number;
  updatedAt: number;
}

export interface RenderedTemplate {
  text: string;
  unresolved: { variable: string; reason: 'unknown' | 'empty'; offset: number }[];
}
