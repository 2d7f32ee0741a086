import type { ChannelCapabilities, ContentKind, LocalizedText, OutboundButton } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { KeywordMatch } from '../consent/consent-keywords.ts';

/** A channel as adapters see it: settings in clear, credentials decrypted. */
export interface ChannelRuntime {
  id: string;
  accountId: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
}

export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  /** Exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  rawBody: Buffer;
  /**
   * The public URL the provider called, query string included: PUBLIC_URL (or, without it, this
   * request's own scheme and host) + the path. Twilio signs it.
   */
  url?: string;
  /** When Switchboard received the request (epoch ms), for providers that send no timestamp of their own. */
  receivedAt?: number;
}

export interface ProviderEvent {
  /** Provider's idempotency key for this event (unique per channel). */
  providerEventId: string;
  payload: unknown;
  /**
   * Events with the same key (the customer's id on the provider) are applied one at a time in arrival
   * order, so a customer's messages never land out of order.
   */
  orderKey?: string;
}

export interface WebhookResult {
  /** Events to store durably before answering. */
  events: ProviderEvent[];
  /** What the provider expects back (after the events are committed). */
  response: { status: number; body?: unknown; contentType?: string };
}

export interface InboundContact {
  externalId: string;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface InboundAttachment {
  kind: ContentKind;
  url?: string;
  /**
   * The provider's own handle for the file (Telegram file_id, WhatsApp media id). When set, the media
   * pipeline downloads the file through the adapter's `resolveMedia` into Switchboard's storage.
   */
  providerRef?: string;
  name?: string;
  /** What the sender claims; the stored type is sniffed from the bytes. */
  mimeType?: string;
  size?: number;
  /**
   * The file is already in Switchboard's storage under this key (a widget upload): nothing to download.
   * Only adapters set it, from keys they generated; never from provider input.
   */
  storageKey?: string;
  /** Hex SHA-256 of the stored bytes, with storageKey. */
  sha256?: string;
}

/** Normalised inbound events, the same for every provider. */
export type InboundEvent =
  | {
      kind: 'message';
      providerMessageId: string;
      contact: InboundContact;
      contentKind: ContentKind;
      text: string | null;
      attachments: InboundAttachment[];
      /** Provider's own time of the customer's message (epoch ms), when it gives one. */
      providerTs: number | null;
      meta?: Record<string, unknown>;
      /**
       * The whole message is an opt-out / opt-in / help keyword (SMS). The message is stored as usual,
       * then the contact's consent is changed (modules/consent).
       */
      keyword?: KeywordMatch;
      /**
       * Set when this is a new version of a message the customer edited (same providerMessageId):
       * the stored text and meta are replaced if this version is newer, the old text kept in meta.edits.
       */
      editedAt?: number;
      /**
       * Mail threading (e-mail): the conversation is the one a referenced message belongs to, else one
       * named by a token, else the newest with the same subject from this contact within `subjectDays`;
       * otherwise a new one (not the contact's open conversation, as for chats).
       */
      thread?: ThreadHint;
    }
  | {
      kind: 'status';
      providerMessageId: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      errorCode?: string;
      errorMessage?: string;
      /**
       * The failure says the recipient opted out with the provider (Twilio 21610 in a status callback):
       * recorded as their opt-out (via `provider`, this as its source), as when a send is refused for it.
       */
      providerOptOutSource?: string;
    }
  | {
      /**
       * The customer deleted one of their messages for everyone (WhatsApp `revoke`): the stored message
       * is marked deleted (its text is kept for the record). A message never stored is not created.
       */
      kind: 'revoke';
      /** The deleted message's provider id (not the revoke event's own id). */
      providerMessageId: string;
      /** When it was deleted, per the provider (epoch ms). */
      revokedAt: number | null;
    }
  | {
      /**
       * A receipt that covers every message up to a point rather than naming one (Messenger's
       * `delivery.watermark` / `read.watermark`, Instagram's `read.mid`): each of our messages to this
       * contact on this channel sent at or before `upTo` (epoch ms), or up to and including the message
       * `throughProviderMessageId`, moves forward to `status`.
       */
      kind: 'receipt';
      contactExternalId: string;
      status: 'delivered' | 'read';
      upTo: number | null;
      throughProviderMessageId?: string;
    }
  | {
      /**
       * A copy of a message the business sent to the customer (Meta's `is_echo`). One of ours (matched by
       * `ourMessageId`, or by provider id) only gets the provider's timestamp; one sent from elsewhere (a
       * person answering in the Page inbox or the Instagram app) is stored as an outbound message by
       * `author`.
       */
      kind: 'echo';
      providerMessageId: string;
      contact: InboundContact;
      contentKind: ContentKind;
      text: string | null;
      attachments: InboundAttachment[];
      providerTs: number | null;
      /** Switchboard's own message id, when the echo carries the marker our send put on it. */
      ourMessageId: string | null;
      /** Who sent it, as the operator sees it (e.g. "Page inbox"). */
      author: string;
      /**
       * Every send of ours carries the marker, so an unmarked echo is never ours (Messenger). Otherwise
       * (Instagram) an unknown echo may be our own send whose id is not committed yet.
       */
      ownSendsMarked: boolean;
      meta?: Record<string, unknown>;
    }
  | {
      /**
       * The customer allowed or refused messages from the business at the provider itself (VK
       * `message_allow` / `message_deny`, Viber `subscribed` / `unsubscribed`): recorded as their own consent decision (via `provider`) in the
       * channel's consent scope. Repeating the current decision changes nothing.
       */
      kind: 'consent';
      contact: InboundContact;
      optIn: boolean;
      /** What the provider said, kept as the decision's source (e.g. `vk:message_deny`). */
      source: string;
      /**
       * Only lifts an opt-out, never records a first opt-in: a customer writing to a Viber bot subscribes
       * them again, but a first message is not an explicit opt-in.
       */
      liftOnly?: boolean;
    };

export interface ThreadHint {
  /** Provider message ids this one answers (In-Reply-To, then References newest first). */
  messageIds: string[];
  /** Conversation ids carried in the message (a plus address, our own Message-ID format). */
  conversationIds: string[];
  subject: string | null;
  subjectDays: number;
}

export interface OutboundMessage {
  id: string;
  conversationId: string;
  text: string | null;
  createdAt: number;
  contactExternalId: string;
  attachments: {
    name: string | null;
    mimeType: string | null;
    url: string | null;
    /** How to send it (photo, voice note, sticker...); derived from mimeType when absent. */
    kind?: ContentKind;
    /**
     * A file Switchboard holds (an operator's upload). Channels that can upload bytes to the provider
     * do so; `url` is then a signed, time-limited download link for those that can only pass a link.
     */
    stored?: StoredFileRef;
  }[];
  /** Provider id of the message this one answers (quoted reply), when the operator replied to one. */
  replyToProviderMessageId?: string | null;
  /** A map point instead of text (content kind `location`; channels that declare it). */
  location?: { latitude: number; longitude: number } | null;
  /** A contact card instead of text (content kind `contact`; channels that declare it). */
  sharedContact?: { name: string; phone: string } | null;
  /** A pre-approved provider template (WhatsApp) instead of free text. */
  template?: OutboundTemplate | null;
  /**
   * Quick-reply buttons under the text, for adapters whose `capabilities.features.buttons` is true (the
   * send job turns them into a numbered list in the text for the others). A tap comes back as an inbound
   * message whose text is the title and `meta.buttonId` the id.
   */
  buttons?: OutboundButton[] | null;
  /**
   * A provider message tag the window policy chose because the standard window has closed but the tag's
   * own window is open (Messenger and Instagram `HUMAN_AGENT`, up to 7 days). Absent: a standard send.
   */
  tag?: string | null;
}

export interface StoredFileRef {
  attachmentId: string;
  size: number;
  sha256: string | null;
  /** When the signed link in the attachment's `url` stops working (epoch ms). */
  linkExpiresAt: number;
  /** The bytes, read from Switchboard's file store on demand. */
  read(): Promise<Buffer>;
}

export interface OutboundTemplate {
  name: string;
  /** Language code of the approved translation, e.g. `en_US`. */
  language: string;
  /** Values for {{1}}, {{2}}, ... of the body. */
  bodyParameters?: string[];
  /** Values for the header's variables (text headers). */
  headerParameters?: string[];
}

/** Where the media pipeline fetches a provider-held file from. */
export interface MediaSource {
  url: string;
  /** Sent with the download (e.g. the bearer token WhatsApp requires on media URLs). */
  headers?: Record<string, string>;
  /** Size the provider announced, checked against the limit before downloading. */
  size?: number;
  name?: string;
}

export interface SendResult {
  providerMessageId: string | null;
  /**
   * Every provider id the message went out under when the provider split it into several (long text,
   * several attachments), the first included: receipts and echoes naming any of them find the message.
   */
  providerMessageIds?: string[];
}

/** An address check for formats the shared ones (`capabilities.addressing.format`) do not cover. */
export type AddressResult =
  | { ok: true; value: string }
  | { ok: false; code: 'invalid' | 'not_importable'; message: string };

/** HTTP routes a channel type brings along (re-registering a webhook, listing provider templates). */
export interface ChannelRoutes {
  /** Registered under `/api/v1`, behind authentication. */
  api?: (ctx: AppContext) => FastifyPluginAsync;
  /** Registered at the root, public (e.g. the widget's script and visitor API). */
  public?: (ctx: AppContext) => FastifyPluginAsync;
}

/**
 * One provider. Adding a channel means adding one folder with an adapter (and its sandbox), one line in
 * `channel-registry.ts`, and its labels. Everything other modules must know about the type — window,
 * consent scope, addressing, limits, settings form — is declared here and read from here.
 */
export interface ChannelAdapter {
  readonly type: string;
  /** The type's name as operators know it, in the console's languages. */
  readonly label: LocalizedText;
  /** The provider's name, the same in every language ("WhatsApp"); channels without one go by their own name. */
  readonly providerName?: string;
  /** How the consent scope reads when several types share it (SMS); defaults to `label`. */
  readonly consentScopeLabel?: LocalizedText;
  /**
   * What an admin may put in `settings` when creating or updating the channel. Each top-level field
   * declares its form label (and `secret`, `help`...) with zod `.meta()` (`SettingMeta`); the console's
   * form is generated from it (`settings-form.ts`).
   */
  readonly settingsSchema: z.ZodType<Record<string, unknown>>;
  /**
   * The rules of the channel: messaging window and what passes it, consent scope, addressing, outbound
   * content and limits (`outbound.media`: types and sizes per kind from the provider's published limits;
   * replies are checked against it before they are queued, `send` stays the last guard), features.
   */
  readonly capabilities: ChannelCapabilities;
  /** Normalises an imported address when `capabilities.addressing.format` cannot say it. */
  normalizeAddress?(raw: string): AddressResult;
  readonly routes?: ChannelRoutes;
  /**
   * The path segment of the channel's webhook, `/webhooks/<segment>/<channelId>`, when it is not the
   * type itself (Vonage SMS: `vonage`).
   */
  readonly webhookSegment?: string;
  /**
   * The status the provider expects when its webhook's signature is refused, when it is not 401
   * (Twilio and Viber: 403); the webhook route answers `invalid_signature` with it.
   */
  readonly signatureRefusedStatus?: number;
  /** Splits validated admin input into stored settings and secret credentials (generating secrets). */
  prepare(
    input: Record<string, unknown>,
    existing?: ChannelRuntime,
  ): Promise<{ settings: Record<string, unknown>; credentials: Record<string, string> }>;
  /** Extra fields an admin sees for this channel (webhook URL, generated secret). */
  describe(channel: ChannelRuntime, webhookUrl: string): Record<string, unknown>;
  /** Verifies authenticity (throws DomainError invalid_signature) and splits the body into provider events. */
  handleWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult;
  /** Normalises one stored provider event (runs in the worker). */
  parse(payload: unknown, channel: ChannelRuntime): InboundEvent[];
  /** Sends through the provider; throws RetryableError or PermanentError from worker/job-errors.ts. */
  send(ctx: AppContext, channel: ChannelRuntime, message: OutboundMessage): Promise<SendResult>;
  /**
   * Connects a channel at the provider once it has an id, on create and when its settings change
   * (check the credentials, register the webhook). Throws DomainError with what the admin must fix;
   * returns settings learnt from the provider (bot name, display number) to store.
   */
  activate?(
    ctx: AppContext,
    channel: ChannelRuntime,
    webhookUrl: string,
  ): Promise<{ settings?: Record<string, unknown> }>;
  /** Turns an attachment's providerRef into a download (throws RetryableError or PermanentError). */
  /**
   * Disconnects a deactivated channel at the provider (e.g. removes the webhook) so the provider stops
   * delivering to an address that now refuses it. Best effort: a failure is logged, not raised.
   */
  deactivate?(ctx: AppContext, channel: ChannelRuntime): Promise<void>;
  resolveMedia?(ctx: AppContext, channel: ChannelRuntime, providerRef: string): Promise<MediaSource>;
  /**
   * Tells the provider an event was handled, after it is committed, for events that wait for an answer
   * (Telegram's callback_query: the customer's button spins until answerCallbackQuery). Best effort: a
   * failure is logged, the event stays processed.
   */
  acknowledge?(ctx: AppContext, channel: ChannelRuntime, payload: unknown): Promise<void>;
  /**
   * The customer's display name at the provider, looked up once when a new contact first writes, for
   * providers whose webhooks carry only an id (Messenger, Instagram). Null when the provider will not say.
   * Throws RetryableError for a passing failure.
   */
  fetchProfile?(
    ctx: AppContext,
    channel: ChannelRuntime,
    externalId: string,
  ): Promise<{ name: string | null }>;
}
