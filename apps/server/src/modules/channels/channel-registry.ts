import { AppError } from '../../http/errors.ts';
import { apiChannelAdapter } from './api/api-channel.adapter.ts';
import type { ChannelAdapter } from './channel-adapter.ts';
import { telegramAdapter } from './telegram/telegram.adapter.ts';
import { twilioSmsAdapter } from './twilio/twilio.adapter.ts';
import { whatsappAdapter } from './whatsapp/whatsapp.adapter.ts';
import { widgetAdapter } from './widget/widget.adapter.ts';

const adapters = new Map<string, ChannelAdapter>(
  [apiChannelAdapter, telegramAdapter, twilioSmsAdapter, whatsappAdapter, widgetAdapter].map((a) => [
    a.type,
    a,
  ]),
);

export function channelTypes(): string[] {
  return [...adapters.keys()];
}

export function adapterFor(type: string): ChannelAdapter {
  const a = adapters.get(type);
  if (!a)
    throw new AppError(
      'validation_error',
      `Unknown channel type "${type}"; known: ${channelTypes().join(', ')}`,
    );
  return a;
}
