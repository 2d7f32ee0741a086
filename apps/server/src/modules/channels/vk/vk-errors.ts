import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { VkApiError, VkNetworkError } from './vk-client.ts';

/** Rate limits: too many requests per second (6), flood control (9), a method's daily limit (29). */
const RATE_LIMITS = new Set([6, 9, 29]);
/** Unknown (1) and internal (10) errors, "temporarily unavailable" (13): the same call may pass later. */
const TRANSIENT = new Set([1, 10, 13]);

/** Final refusals about the recipient, worded for the operator who wrote the reply. */
const FINAL: Record<number, [code: string, reason: string]> = {
  900: [
    'blocked',
    'VK will not deliver to this user: they are on a blacklist (they blocked the community, or the community blocked them)',
  ],
  901: [
    'not_allowed',
    'The customer has not allowed messages from the community (or has denied them); VK lets a community write only after the customer writes first or allows messages',
  ],
  902: ['recipient_privacy', "The customer's VK privacy settings do not let the community write to them"],
  914: ['too_large', 'The message is too long for VK'],
  917: ['forbidden', 'The community has no access to this VK chat (it may have been removed from it)'],
  945: ['forbidden', 'This VK chat is disabled'],
  18: ['recipient_unavailable', "The customer's VK page is deleted or banned"],
  936: ['recipient_unavailable', 'VK cannot find this contact'],
};

/**
 * VK API failures as job outcomes. VK answers errors with HTTP 200 and a code; the reason stored for
 * operators is our own wording plus the code, never VK's text (it comes from whatever host the channel's
 * API base points at). 5 (authorisation) and 7 (no permission) are about the whole channel: the send
 * job records them on the channel's health for its admin.
 */
export function vkJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof VkNetworkError) return new RetryableError(err.message);
  if (!(err instanceof VkApiError)) {
    return err instanceof Error ? new RetryableError(err.message) : new RetryableError(String(err));
  }
  const code = err.errorCode;
  const c = `(error ${code})`;
  if (RATE_LIMITS.has(code)) {
    // A throttling front end's Retry-After is exact; VK's own limit errors say nothing: backoff.
    return new RetryableError(`VK rate limit ${c}`, err.retryAfterMs);
  }
  if (TRANSIENT.has(code) || (code >= 500 && code < 600)) {
    return new RetryableError(`VK had a temporary error ${c}`);
  }
  if (code === 5) {
    return new PermanentError(
      `VK does not accept this channel's community access token ${c}; an admin must update it`,
      'invalid_token',
    );
  }
  if (code === 7 || code === 27) {
    return new PermanentError(
      `The community access token lacks the messages permission ${c}; an admin must create a token with access to community messages`,
      'missing_permission',
    );
  }
  const final = FINAL[code];
  if (final) return new PermanentError(`${final[1]} ${c}`, final[0]);
  if (err.method === 'upload') {
    return new PermanentError(`VK's upload server refused the file ${c}`, 'attachment_unavailable');
  }
  return new PermanentError(`VK rejected the message ${c}`, 'rejected');
}
