import type { MessagingWindow } from '@switchboard/shared';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * Channels whose provider lets the business write at any time: Switchboard's own window applies (7 days
 * after the customer last wrote unless the admin sets another), and an explicit opt-in lifts it.
 */
export const SWITCHBOARD_WINDOW: MessagingWindow = {
  providerWindowMs: null,
  defaultWindow: { unit: 'days', value: 7 },
  unlimitedAllowed: false,
  templates: false,
  tags: [],
  optInLifts: true,
};
