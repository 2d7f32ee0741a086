import { capabilitiesOf } from '../channels/channel-capabilities.ts';
import { findAdapter } from '../channels/channel-registry.ts';

/**
 * The customer's address on a channel as that channel's webhooks report it, so an imported contact and
 * the customer's first real message meet on the same identity instead of making two contacts. Each
 * adapter declares its format (`capabilities.addressing`):
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

/** Whether contacts of this channel type can be imported (its adapter's `addressing.importable`). */
export function importable(channelType: string): boolean {
  return capabilitiesOf(channelType).addressing.importable;
}

/** Whether the address is the customer's phone number (the phone column can stand in for it). */
export function phoneAddressed(channelType: string): boolean {
  return capabilitiesOf(channelType).addressing.phone;
}

/** The address written the way the channel's webhooks report it, by the adapter's declared format. */
export function normalizeExternalId(channelType: string, raw: string): ExternalIdResult {
  const own = findAdapter(channelType)?.normalizeAddress;
  if (own) return own(raw);
  const v = raw.trim();
  const { format, noun, example } = capabilitiesOf(channelType).addressing;
  const invalid = (message: string): ExternalIdResult => ({ ok: false, code: 'invalid', message });
  switch (format) {
    case 'e164': {
      const phone = e164(v);
      return phone
        ? { ok: true, value: phone }
        : invalid(`"${v}" is not a ${noun.en} with country code (e.g. ${example})`);
    }
    case 'e164_digits': {
      // Reported without the plus; people write them with it.
      const phone = e164(v.startsWith('+') || v.startsWith('00') ? v : `+${v}`);
      return phone
        ? { ok: true, value: phone.slice(1) }
        : invalid(`"${v}" is not a ${noun.en} with country code (e.g. ${example})`);
    }
    case 'integer':
      return /^-?\d{1,20}$/.test(v)
        ? { ok: true, value: v }
        : invalid(`"${v}" is not a ${noun.en} (a number, e.g. ${example})`);
    case 'text':
      if (v.length === 0 || v.length > 200) return invalid('must be 1-200 characters');
      // Control characters would make an id nobody can type or see in the console.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
      if (/[\u0000-\u001f\u007f]/.test(v)) return invalid('contains control characters');
      return { ok: true, value: v };
    case 'none':
      return {
        ok: false,
        code: 'not_importable',
        message: `contacts of ${channelType} channels cannot be imported`,
      };
  }
}
