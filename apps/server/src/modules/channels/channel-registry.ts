import { DomainError } from '../../lib/domain-error.ts';
import { apiChannelAdapter } from './api/api-channel.adapter.ts';
import type { ChannelAdapter } from './channel-adapter.ts';
import { emailAdapter } from './email/email.adapter.ts';
import { instagramAdapter } from './instagram/instagram.adapter.ts';
import { messengerAdapter } from './messenger/messenger.adapter.ts';
import { telegramAdapter } from './telegram/telegram.adapter.ts';
import { twilioSmsAdapter } from './twilio/twilio.adapter.ts';
import { vkAdapter } from './vk/vk.adapter.ts';
import { viberAdapter } from './viber/viber.adapter.ts';
import { vonageSmsAdapter } from './vonage/vonage.adapter.ts';
import { whatsappAdapter } from './whatsapp/whatsapp.adapter.ts';
import { widgetAdapter } from './widget/widget.adapter.ts';

let table: Map<string, ChannelAdapter> | undefined;

/**
 * Every channel type Switchboard speaks: one line per type. Built on first use, not at load: adapters
 * import modules (channel.service.ts) that import this registry, so some are not defined yet then.
 */
const adapters = (): Map<string, ChannelAdapter> =>
  (table ??= new Map<string, ChannelAdapter>(
    [
      apiChannelAdapter,
      telegramAdapter,
      twilioSmsAdapter,
      whatsappAdapter,
      widgetAdapter,
      messengerAdapter,
      instagramAdapter,
      vkAdapter,
      emailAdapter,
      viberAdapter,
      vonageSmsAdapter,
    ].map((a) => [a.type, a]),
  ));

export function channelTypes(): string[] {
  return [...adapters().keys()];
}

export function allAdapters(): ChannelAdapter[] {
  return [...adapters().values()];
}

export function adapterFor(type: string): ChannelAdapter {
  const a = adapters().get(type);
  if (!a)
    throw new DomainError(
      'validation_error',
      `Unknown channel type "${type}"; known: ${channelTypes().join(', ')}`,
    );
  return a;
}

/** The path segment of a type's webhook URL: its own `webhookSegment`, else the type. */
export function webhookSegmentOf(type: string): string {
  return adapters().get(type)?.webhookSegment ?? type;
}

/** The adapter whose webhooks arrive at `/webhooks/<segment>/...`, or undefined. */
export function adapterForWebhookSegment(segment: string): ChannelAdapter | undefined {
  for (const a of adapters().values()) if ((a.webhookSegment ?? a.type) === segment) return a;
  return undefined;
}

/** The adapter of a stored channel's type, or undefined (a type removed from this build). */
export function findAdapter(type: string): ChannelAdapter | undefined {
  return adapters().get(type);
}

/**
 * Adds an adapter at run time: for tests that prove a channel needs nothing outside its folder and
 * this registry. Returns a function that removes it again.
 */
export function registerAdapter(adapter: ChannelAdapter): () => void {
  if (adapters().has(adapter.type)) throw new Error(`channel type ${adapter.type} is registered already`);
  adapters().set(adapter.type, adapter);
  return () => {
    adapters().delete(adapter.type);
  };
}
