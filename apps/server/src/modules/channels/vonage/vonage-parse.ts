import { channelKeyword } from '../../consent/keyword-settings.ts';
import type { ChannelRuntime, InboundEvent } from '../channel-adapter.ts';
import type { VonageEvent } from './vonage-webhook.ts';

/** Messages API statuses as ticks; `rejected` and `undeliverable` are final failures. */
const STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  submitted: 'sent',
  delivered: 'delivered',
  read: 'read',
  rejected: 'failed',
  undeliverable: 'failed',
};

function timeOf(ts: unknown): number | null {
  if (typeof ts !== 'string') return null;
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : null;
}

/**
 * One stored Vonage webhook as normalised events: an inbound SMS (with STOP/START/HELP recognised by the
 * shared keyword engine, exactly as on Twilio), or a status of one of our messages.
 */
export function parseVonageEvent(payload: unknown, channel: ChannelRuntime): InboundEvent[] {
  const ev = payload as VonageEvent;
  const uuid = ev.message_uuid;
  if (!uuid) return [];
  if (typeof ev.status === 'string') {
    const status = STATUS[ev.status];
    if (!status) return [];
    if (status !== 'failed') return [{ kind: 'status', providerMessageId: uuid, status }];
    const title = ev.error?.title !== undefined ? String(ev.error.title).slice(0, 200) : null;
    const detail = typeof ev.error?.detail === 'string' ? ev.error.detail.slice(0, 300) : null;
    const what =
      ev.status === 'rejected' ? 'Vonage rejected the message' : 'The message could not be delivered';
    return [
      {
        kind: 'status',
        providerMessageId: uuid,
        status: 'failed',
        errorCode: ev.status === 'rejected' ? 'rejected' : 'not_delivered',
        errorMessage: `${what}: ${title ?? ev.status}${detail ? ` (${detail})` : ''}`,
      },
    ];
  }
  const from = String(ev.from);
  const text = typeof ev.text === 'string' && ev.text.length > 0 ? ev.text : null;
  const keyword = channelKeyword(channel, text);
  return [
    {
      kind: 'message',
      providerMessageId: uuid,
      contact: { externalId: from, phone: /^\d{6,15}$/.test(from) ? `+${from}` : null },
      contentKind: 'text',
      text,
      attachments: [],
      providerTs: timeOf(ev.timestamp),
      meta: {
        vonage: Object.fromEntries(
          Object.entries({ to: ev.to, numMessages: ev.sms?.num_messages, keyword: ev.sms?.keyword }).filter(
            ([, v]) => v !== undefined && v !== '',
          ),
        ),
        ...(keyword ? { keyword: { action: keyword.action, word: keyword.keyword } } : {}),
      },
      ...(keyword ? { keyword } : {}),
    },
  ];
}
