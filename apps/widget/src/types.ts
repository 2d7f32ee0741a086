import type { Lang } from './i18n.ts';

/** Shapes of the visitor API (apps/server/src/modules/channels/widget). */

export type ContentKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'template'
  | 'system';

export interface VisitorAttachment {
  id: string;
  kind: ContentKind;
  name: string | null;
  mimeType: string | null;
  size: number | null;
  /** A visitor-API path (needs the token) or an external http(s) URL. */
  url: string | null;
}

export interface VisitorMessage {
  id: string;
  clientMessageId: string | null;
  direction: 'in' | 'out';
  kind: ContentKind;
  text: string | null;
  authorName: string | null;
  attachments: VisitorAttachment[];
  status: 'sent' | 'delivered' | 'read' | null;
  /** Quick replies under an operator message; `rating`: the satisfaction survey, drawn as stars. */
  buttons?: { id: string; title: string }[] | null;
  buttonsStyle?: 'choice' | 'rating' | null;
  createdAt: number;
  updatedAt: number;
}

export type FieldMode = 'off' | 'optional' | 'required';

export interface WidgetConfig {
  channelId: string;
  name: string;
  title: Partial<Record<string, string>>;
  welcome: Partial<Record<string, string>>;
  color: string;
  position: 'right' | 'left';
  preChatForm: { enabled: boolean; name: FieldMode; email: FieldMode; phone: FieldMode };
  requireIdentity: boolean;
  maxUploadBytes: number;
  online: boolean | null;
  offlineReason: string | null;
  nextOpenAt: number | null;
}

export interface Profile {
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface SessionAnswer {
  token: string;
  visitorId: string;
  identified: boolean;
  profile: Profile;
}

/** What the business's page says about a signed-in user (data-user-* or Switchboard.identify). */
export interface Identity {
  id: string;
  hash: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** A message the visitor wrote that the server has not confirmed yet. */
export interface PendingMessage {
  clientMessageId: string;
  text: string | null;
  /** A tapped quick reply: `text` is its title. */
  buttonId?: string;
  file: File | null;
  uploadToken: string | null;
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: number;
}

/** What the view renders: the chat's whole state. */
export interface ChatState {
  config: WidgetConfig;
  lang: Lang;
  messages: VisitorMessage[];
  pending: PendingMessage[];
  /** Operator typing: undefined = nobody; null = someone without a name. */
  typing: string | null | undefined;
  connected: boolean;
  open: boolean;
  unread: number;
  needsPrechat: boolean;
  profile: Profile;
}
