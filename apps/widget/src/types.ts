import type { VisitorMessage, VisitorProfile as Profile, WidgetConfig } from '@switchboard/shared';
import type { Lang } from './i18n.ts';

/**
 * The visitor API's shapes are the server's (packages/shared/src/contracts/widget.ts), imported as types
 * only so zod stays out of the bundle. Declared here: what the widget keeps of its own.
 */
export type {
  ContentKind,
  FieldMode,
  VisitorAttachment,
  VisitorMessage,
  VisitorProfile as Profile,
  WidgetConfig,
  WidgetSession as SessionAnswer,
} from '@switchboard/shared';

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
