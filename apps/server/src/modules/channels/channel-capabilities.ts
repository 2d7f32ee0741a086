import type { ChannelCapabilities } from '@switchboard/shared';
import { findAdapter } from './channel-registry.ts';
import { SWITCHBOARD_WINDOW } from './window-defaults.ts';

/**
 * What a stored channel of a type this build does not know (a type removed, a row written by a newer
 * version) is allowed: nothing beyond Switchboard's own window, no opt-in lift, no imports. A type is
 * never silently given another type's rules.
 */
const UNKNOWN: Omit<ChannelCapabilities, 'consentScope'> = {
  window: { ...SWITCHBOARD_WINDOW, optInLifts: false },
  addressing: {
    format: 'none',
    importable: false,
    phone: false,
    example: null,
    noun: { en: 'address', ru: 'адрес' },
  },
  outbound: { contentKinds: ['text'], textMaxLength: null, media: { rules: [], maxTotalBytes: null } },
  features: {
    edits: false,
    deletions: false,
    reactions: false,
    deliveryReceipts: false,
    readReceipts: false,
    typing: false,
    buttons: false,
  },
};

/** The capabilities a channel type's adapter declares: the one place policy modules ask. */
export function capabilitiesOf(channelType: string): ChannelCapabilities {
  return findAdapter(channelType)?.capabilities ?? { ...UNKNOWN, consentScope: channelType };
}
