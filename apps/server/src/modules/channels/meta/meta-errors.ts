import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { GraphApiError, GraphNetworkError } from './graph-client.ts';

export interface MetaFailure {
  /** Stable code stored on the message (`window_closed`, `customer_unavailable`, `messenger_<n>`...). */
  code: string;
  message: string;
  retryable: boolean;
  /** Seconds to wait before the retry when Meta says nothing (rate limits). */
  retryAfterMs?: number;
}

/** Error subcodes meaning "outside the allowed messaging window" (Messenger, Instagram). */
const WINDOW_SUBCODES = new Set([2018278, 2534022]);
/** Application, user, page and custom rate limits: the same message may pass later. */
const RATE_LIMITS = new Set([4, 17, 32, 613, 80001, 80006]);
/** Temporary failures on Meta's side. */
const TRANSIENT = new Set([1, 2, 1200]);

/**
 * Send API errors (`{error: {message, type, code, error_subcode, fbtrace_id}}`) as operator-facing
 * reasons. `label` is the product ("Messenger", "Instagram"). The reason is our own wording plus Meta's
 * codes, never Meta's text: it is stored where every operator sees it.
 */
export function describeMetaError(
  label: string,
  code: number,
  subcode: number | undefined,
  httpStatus = 400,
): MetaFailure {
  const d = ` (error ${code}${subcode ? `/${subcode}` : ''})`;
  const prefix = label.toLowerCase();
  if (subcode !== undefined && WINDOW_SUBCODES.has(subcode)) {
    return {
      code: 'window_closed',
      message: `${label} refused the message: it is outside the allowed window — more than 24 hours since the customer last wrote (7 days with the HUMAN_AGENT tag)${d}`,
      retryable: false,
    };
  }
  if (code === 551 || subcode === 1545041) {
    return {
      code: 'customer_unavailable',
      message: `This person isn't available on ${label} right now (they may have blocked the ${label === 'Instagram' ? 'account' : 'Page'} or deactivated their account)${d}`,
      retryable: false,
    };
  }
  if (RATE_LIMITS.has(code)) {
    return {
      code: 'rate_limited',
      message: `${label} rate limit${d}`,
      retryable: true,
      retryAfterMs: 30_000,
    };
  }
  if (code === 190 || httpStatus === 401 || code === 102) {
    return {
      code: 'invalid_token',
      message: `${label} does not accept the channel's access token${d}; an admin must update it`,
      retryable: false,
    };
  }
  if (code === 100 && (subcode === 2018001 || subcode === 2018109)) {
    return {
      code: 'invalid_recipient',
      message: `${label} has no matching user for this conversation${d}`,
      retryable: false,
    };
  }
  if (code === 10 || code === 200 || code === 3 || (code >= 200 && code < 300)) {
    return { code: 'permission_denied', message: `The access token lacks permission${d}`, retryable: false };
  }
  if (code === 368) {
    return {
      code: 'account_restricted',
      message: `The ${label} account is temporarily blocked from sending${d}`,
      retryable: false,
    };
  }
  if (TRANSIENT.has(code) || httpStatus >= 500) {
    return {
      code: 'provider_unavailable',
      message: `${label} had a temporary error${d}`,
      retryable: true,
    };
  }
  return {
    code: `${prefix}_${code}`,
    message: `${label} rejected the message${d}`,
    retryable: false,
  };
}

/** A failed Graph call as a job outcome. */
export function metaJobError(label: string, err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof GraphNetworkError) return new RetryableError(err.message);
  if (!(err instanceof GraphApiError))
    return new RetryableError(err instanceof Error ? err.message : String(err));
  const f = describeMetaError(label, err.code, err.subcode, err.httpStatus);
  if (!f.retryable) return new PermanentError(f.message, f.code);
  return new RetryableError(f.message, err.retryAfterMs ?? f.retryAfterMs);
}
