import type { MessagingWindow } from '@switchboard/shared';
import {
  HUMAN_AGENT_SETTING,
  HUMAN_AGENT_TAG,
  HUMAN_AGENT_WINDOW_MS,
  STANDARD_WINDOW_MS,
} from './meta-settings.ts';

/**
 * Meta's standard messaging window (24 hours after the customer's last message), then the HUMAN_AGENT
 * tag for a human's reply until 7 days, where the admin says Meta granted the permission. No templates,
 * and an opt-in does not lift it.
 */
export const META_WINDOW: MessagingWindow = {
  providerWindowMs: STANDARD_WINDOW_MS,
  defaultWindow: { unit: 'hours', value: 24 },
  unlimitedAllowed: false,
  templates: false,
  tags: [{ tag: HUMAN_AGENT_TAG, windowMs: HUMAN_AGENT_WINDOW_MS, enabledBy: HUMAN_AGENT_SETTING }],
  optInLifts: false,
};
