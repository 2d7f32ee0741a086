import type { ApiTokenDto } from '@switchboard/shared';
import type {
  AttachmentDto,
  ChannelDto,
  ContactDto,
  ContactNoteDto,
  MessagingWindowDto,
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

export type Channel = ChannelDto;
/** The shape is the server's (packages/shared security.ts). */
export type ApiToken = ApiTokenDto;
export type MessagingWindow = MessagingWindowDto;
export type Template = TemplateDto;
export type RenderedTemplate = RenderedTemplateDto;
