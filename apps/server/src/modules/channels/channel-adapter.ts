import type { ContentKind } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';

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
}

export interface ProviderEvent {
  /** Provider's idempotency key for this event (unique per channel). */
  providerEventId: string;
  payload: unknown;
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
  name?: string;
  mimeType?: string;
  size?: number;
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
    }
  | {
      kind: 'status';
      providerMessageId: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      errorCode?: string;
      errorMessage?: string;
    };

export interface OutboundMessage {
  id: string;
  conversationId: string;
  text: string | null;
  createdAt: number;
  contactExternalId: string;
  attachments: { name: string | null; mimeType: string | null; url: string | null }[];
}

export interface SendResult {
  providerMessageId: string | null;
}

/** One provider. Adding a channel means adding one folder with an adapter and registering it. */
export interface ChannelAdapter {
  readonly type: string;
  /** What an admin may put in `settings` when creating or updating the channel. */
  readonly settingsSchema: z.ZodType<Record<string, unknown>>;
  /** Splits validated admin input into stored settings and secret credentials (generating secrets). */
  prepare(
    input: Record<string, unknown>,
    existing?: ChannelRuntime,
  ): Promise<{ settings: Record<string, unknown>; credentials: Record<string, string> }>;
  /** Extra fields an admin sees for this channel (webhook URL, generated secret). */
  describe(channel: ChannelRuntime, webhookUrl: string): Record<string, unknown>;
  /** Verifies authenticity (throws AppError invalid_signature) and splits the body into provider events. */
  handleWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult;
  /** Normalises one stored provider event (runs in the worker). */
  parse(payload: unknown, channel: ChannelRuntime): InboundEvent[];
  /** Sends through the provider; throws RetryableError or PermanentError from worker/job-errors.ts. */
  send(ctx: AppContext, channel: ChannelRuntime, message: OutboundMessage): Promise<SendResult>;
}
