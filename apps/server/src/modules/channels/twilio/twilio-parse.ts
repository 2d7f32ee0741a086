import { type KeywordMatch, matchKeyword, normaliseKeyword } from '../../consent/consent-keywords.ts';
import { kindOfMime } from '../../messages/content-kind.ts';
import type { ChannelRuntime, InboundAttachment, InboundEvent } from '../channel-adapter.ts';
import { describeTwilioError } from './twilio-errors.ts';
import { extraKeywords } from '../../consent/keyword-settings.ts';
import type { TwilioStoredEvent } from './twilio-webhook.ts';

/** Twilio sends at most 10 media per message (MediaUrl0…MediaUrl9). */
const MAX_MEDIA = 10;

const STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

const OPT_OUT_TYPE: Record<string, KeywordMatch['action']> = {
  STOP: 'opt_out',
  START: 'opt_in',
  HELP: 'help',
};

/**
 * Normalises one stored Twilio event. Twilio gives an inbound message no timestamp of its own, so its
 * time is when Switchboard received the webhook (stored with the event), which also starts the window.
 */
export function parseTwilioEvent(payload: unknown, channel: ChannelRuntime): InboundEvent[] {
  const ev = payload as TwilioStoredEvent;
  const p = ev.params;
  const sid = p.MessageSid ?? p.SmsMessageSid ?? p.SmsSid;
  if (!sid) return [];
  if (ev.kind === 'status') return parseStatus(sid, p);

  const attachments: InboundAttachment[] = [];
  const n = Math.min(Number(p.NumMedia) || 0, MAX_MEDIA);
  for (let i = 0; i < n; i++) {
    const url = p[`MediaUrl${i}`];
    if (!url) continue;
    const mime = p[`MediaContentType${i}`];
    attachments.push({ kind: kindOfMime(mime), providerRef: url, mimeType: mime });
  }
  const text = p.Body ? p.Body : null;
  const keyword = keywordOf(p, channel);
  return [
    {
      kind: 'message',
      providerMessageId: sid,
      contact: { externalId: p.From!, phone: /^\+\d+$/.test(p.From!) ? p.From! : null },
      contentKind: attachments[0]?.kind ?? 'text',
      text,
      attachments,
      providerTs: ev.kind === 'message' ? ev.receivedAt : null,
      meta: {
        twilio: compact({
          numSegments: p.NumSegments,
          messagingServiceSid: p.MessagingServiceSid,
          to: p.To,
          fromCountry: p.FromCountry,
          fromCity: p.FromCity,
          optOutType: p.OptOutType,
        }),
        ...(keyword ? { keyword: { action: keyword.action, word: keyword.keyword } } : {}),
      },
      ...(keyword ? { keyword } : {}),
    },
  ];
}

/** Our keyword list, or Twilio's verdict when its Advanced Opt-Out recognised an admin's own keyword. */
function keywordOf(p: Record<string, string>, channel: ChannelRuntime): KeywordMatch | null {
  const ours = matchKeyword(p.Body, extraKeywords(channel));
  const theirs = p.OptOutType ? OPT_OUT_TYPE[p.OptOutType.toUpperCase()] : undefined;
  if (!theirs || ours?.action === theirs) return ours;
  const word = normaliseKeyword(p.Body ?? '') || p.OptOutType!.toUpperCase();
  return { action: theirs, keyword: word, language: /[А-ЯЁ]/.test(word) ? 'ru' : 'en' };
}

function parseStatus(sid: string, p: Record<string, string>): InboundEvent[] {
  const raw = p.MessageStatus ?? p.SmsStatus ?? '';
  const status = STATUS[raw];
  if (!status) return [];
  if (status !== 'failed') return [{ kind: 'status', providerMessageId: sid, status }];
  const code = Number(p.ErrorCode);
  const failure =
    raw === 'canceled'
      ? { code: 'canceled', message: 'The scheduled message was canceled' }
      : Number.isFinite(code) && code > 0
        ? describeTwilioError(code)
        : { code: 'not_delivered', message: `Twilio reported the message as ${raw}` };
  return [
    {
      kind: 'status',
      providerMessageId: sid,
      status,
      errorCode: failure.code,
      errorMessage: failure.message,
      // 21610 after Twilio accepted the send (e.g. a Messaging Service sender): the customer opted out.
      ...(code === 21610 ? { providerOptOutSource: 'twilio:21610 (status callback)' } : {}),
    },
  ];
}

function compact(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}
