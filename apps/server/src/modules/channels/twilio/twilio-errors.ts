import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { RecipientOptedOutError } from '../../consent/opt-out-error.ts';
import { TwilioApiError, TwilioNetworkError } from './twilio-client.ts';

export interface TwilioFailure {
  /** Stable code stored on the message (`opted_out`, `invalid_recipient`, `twilio_<n>`...). */
  code: string;
  message: string;
  retryable: boolean;
}

const UNREACHABLE = new Set([21211, 21612, 21614, 30003, 30005, 30006, 63003]);
const INVALID_SENDER = new Set([21212, 21606, 21659, 21660, 21661, 21703, 21704]);
const BAD_MEDIA = new Set([11200, 12300, 21620, 21623, 30019]);
const NOT_DELIVERED = new Set([30007, 30008, 30010, 30032, 30034]);

/**
 * Twilio error codes (REST answers and `ErrorCode` of failed/undelivered callbacks) as operator-facing
 * reasons. https://www.twilio.com/docs/api/errors. The reason is our own wording plus Twilio's code,
 * never the text of Twilio's answer: it is stored where every operator sees it, and the answer comes
 * from whatever host the channel's API base points at.
 */
export function describeTwilioError(code: number, httpStatus = 400): TwilioFailure {
  const d = ` (error ${code})`;
  if (code === 21610) {
    return {
      code: 'opted_out',
      message: `The customer texted STOP to this number; Twilio blocks messages to them until they text START${d}`,
      retryable: false,
    };
  }
  if (code === 20429 || httpStatus === 429 || code === 63018) {
    return { code: 'rate_limited', message: `Twilio rate limit${d}`, retryable: true };
  }
  if (code === 20003 || code === 20005 || httpStatus === 401) {
    return {
      code: 'invalid_token',
      message: `Twilio does not accept the channel's Account SID / Auth Token${d}; an admin must update them`,
      retryable: false,
    };
  }
  if (UNREACHABLE.has(code)) {
    return {
      code: 'invalid_recipient',
      message: `This number cannot receive text messages${d}`,
      retryable: false,
    };
  }
  if (code === 30004) {
    return {
      code: 'blocked',
      message: `The recipient or their carrier blocks this sender${d}`,
      retryable: false,
    };
  }
  if (code === 21408) {
    return {
      code: 'permission_denied',
      message: `The Twilio account may not send to this region${d}`,
      retryable: false,
    };
  }
  if (INVALID_SENDER.has(code)) {
    return {
      code: 'invalid_sender',
      message: `Twilio does not accept the channel's sender (From number or Messaging Service)${d}`,
      retryable: false,
    };
  }
  if (code === 21617)
    return { code: 'too_large', message: `The text is too long for Twilio${d}`, retryable: false };
  if (BAD_MEDIA.has(code)) {
    return {
      code: 'attachment_unavailable',
      message: `Twilio could not fetch or send the attachment${d}`,
      retryable: false,
    };
  }
  if (NOT_DELIVERED.has(code)) {
    return {
      code: 'not_delivered',
      message: `The carrier did not deliver the message${d}`,
      retryable: false,
    };
  }
  if (code === 63016) {
    return {
      code: 'window_closed',
      message: `More than 24 hours have passed since the customer last wrote on WhatsApp${d}`,
      retryable: false,
    };
  }
  if (httpStatus >= 500) {
    return {
      code: 'provider_unavailable',
      message: `Twilio had a temporary error${d}`,
      retryable: true,
    };
  }
  return {
    code: `twilio_${code}`,
    message: `Twilio rejected the message${d}`,
    retryable: false,
  };
}

/** A failed REST call as a job outcome; 21610 also tells the send job to record the opt-out. */
export function twilioJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof TwilioNetworkError) return new RetryableError(err.message);
  if (!(err instanceof TwilioApiError))
    return new RetryableError(err instanceof Error ? err.message : String(err));
  const f = describeTwilioError(err.code, err.httpStatus);
  if (err.code === 21610) return new RecipientOptedOutError(f.message, 'twilio:21610');
  if (!f.retryable) return new PermanentError(f.message, f.code);
  return new RetryableError(f.message, err.retryAfterMs);
}
