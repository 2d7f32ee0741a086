import { capabilitiesOf } from '../channels/channel-capabilities.ts';

/**
 * Consent is kept per contact and *scope*, not per channel and not for the contact as a whole:
 * - Not per channel (or channel identity): a STOP revokes the customer's consent to the business's text
 *   messages. Carriers block only the number it was sent to, but a business with a second SMS number
 *   (or provider) must not keep texting them from there — US rules ask that a revocation "by any
 *   reasonable means" be honoured for the business, and Twilio's own guidance says to block such numbers
 *   on your side for your other senders. So every SMS channel shares the scope `sms`.
 * - Not for the whole contact: texting STOP to an SMS number says nothing about the Telegram chat the same
 *   customer keeps writing in; blocking that would cut off a conversation they want.
 * Each adapter declares its scope (`capabilities.consentScope`); most are their own type's name.
 */
export function consentScope(channelType: string): string {
  return capabilitiesOf(channelType).consentScope;
}

/**
 * Whether an explicit opt-in may lift Switchboard's messaging window: only where the provider lets the
 * business write first (the adapter's `capabilities.window.optInLifts`). Not WhatsApp: its 24-hour window
 * is the provider's (only an approved template passes, opt-in or not). Unknown types are window-bound.
 */
export function optInLiftsWindow(channelType: string): boolean {
  return capabilitiesOf(channelType).window.optInLifts;
}
