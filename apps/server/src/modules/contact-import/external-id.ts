/**
 * The customer's address on a channel as that channel's webhooks report it, so an imported contact and
 * the customer's first real message meet on the same identity instead of making two contacts:
 * - SMS (Twilio): E.164 with the plus, "+15551234567" (Twilio's `From`).
 * - WhatsApp: the wa_id, digits without the plus, "15551234567".
 * - Telegram: the numeric chat id (negative for groups).
 * - API channel: your system's id, any text up to 200 characters.
 * The website chat makes its own visitor ids; they cannot be known ahead, so it takes no imports.
 */
export type ExternalIdResult =
  | { ok: true; value: string }
  | { ok: false; code: 'invalid' | 'not_importable'; message: string };

const PHONE_NOISE = /[\s\-().\u00a0]/g;

/** "+1 (555) 123-45-67", "00 44 20 ..." → "+1555123…"; null when it is not an international number. */
export function e164(input: string): string | null {
  let s = input.trim().replace(PHONE_NOISE, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(s) ? s : null;
}

/** Channel types whose customers' addresses can be known before they write. */
export const IMPORTABLE_TYPES = new Set(['twilio_sms', 'whatsapp', 'telegram', 'api']);

/** Channel types whose address is the customer's phone number (the phone column can stand in for it). */
export const PHONE_ADDRESSED = new Set(['twilio_sms', 'whatsapp']);

export function normalizeExternalId(channelType: string, raw: string): ExternalIdResult {
  const v = raw.trim();
  switch (channelType) {
    case 'twilio_sms': {
      const phone = e164(v);
      return phone
        ? { ok: true, value: phone }
        : {
            ok: false,
            code: 'invalid',
            message: `"${v}" is not a phone number with country code (e.g. +15551234567)`,
          };
    }
    case 'whatsapp': {
      // WhatsApp reports numbers without the plus; people write them with it.
      const phone = e164(v.startsWith('+') || v.startsWith('00') ? v : `+${v}`);
      return phone
        ? { ok: true, value: phone.slice(1) }
        : {
            ok: false,
            code: 'invalid',
            message: `"${v}" is not a WhatsApp number with country code (e.g. 15551234567)`,
          };
    }
    case 'telegram':
      return /^-?\d{1,20}$/.test(v)
        ? { ok: true, value: v }
        : {
            ok: false,
            code: 'invalid',
            message: `"${v}" is not a Telegram chat id (a number, e.g. 123456789)`,
          };
    case 'api':
      if (v.length === 0 || v.length > 200)
        return { ok: false, code: 'invalid', message: 'must be 1-200 characters' };
      // Control characters would make an id nobody can type or see in the console.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
      if (/[\u0000-\u001f\u007f]/.test(v))
        return { ok: false, code: 'invalid', message: 'contains control characters' };
      return { ok: true, value: v };
    case 'widget':
      return {
        ok: false,
        code: 'not_importable',
        message: 'website chat visitors get their ids from the widget; they cannot be imported',
      };
    default:
      return {
        ok: false,
        code: 'not_importable',
        message: `contacts of ${channelType} channels cannot be imported`,
      };
  }
}
