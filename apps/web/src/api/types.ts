import type { ApiTokenDto, ChannelHealth, OutboundMedia } from '@switchboard/shared';
import type {
  AttachmentDto,
  ContactDto,
  ContactNoteDto,
  ConversationDto,
  MessageDto,
  TeamDto,
  UserDto,
  ReadState as ReadStateDto,
  RenderedTemplateDto,
  TemplateDto,
  UploadDto,
} from '@switchboard/shared';

/**
 * The API's shapes as the console uses them: inferred from the zod schemas in packages/shared/src/contracts,
 * which the server validates and documents with. Only what the console adds of its own is declared here.
 */
export type Conversation = ConversationDto;
export type { ConversationCounts, Page } from '@switchboard/shared';
export type ReadState = ReadStateDto;
export type Upload = UploadDto;
export type Attachment = AttachmentDto;
export type Contact = ContactDto;
export type { Me } from '@switchboard/shared';
export type User = UserDto;
export type Team = TeamDto;
export type ContactNote = ContactNoteDto;

export type Message = MessageDto & {
  /** Console-only: a reply still on its way to the server, or one the server never got. */
  local?: 'sending' | 'failed';
};

/** Client-side mirrors of the server's response schemas not yet in packages/shared. */

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
  /** The provider's free session (Viber): sending outside it is allowed but billed by the provider. */
  session?: { closesAt: number | null; billable: boolean } | null;
  now: number;
}

export type Template = TemplateDto;
export type RenderedTemplate = RenderedTemplateDto;
