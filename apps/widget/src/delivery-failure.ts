import { ApiError } from './api.ts';
import { type Lang, STRINGS } from './i18n.ts';

/** What a failed send means for the pending message. */
export interface DeliveryFailure {
  /** Shown under the message; null = a passing failure the widget retries by itself. */
  error: string | null;
  /** The upload was deleted as unsent (the page stayed open past the server's TTL): upload it again. */
  uploadAgain: boolean;
  /** The server wants the pre-chat form filled first. */
  askForm: boolean;
}

export function judgeFailure(err: unknown, lang: Lang): DeliveryFailure {
  const api = err instanceof ApiError ? err : null;
  const code = api?.code ?? '';
  // Quotas do not lift within minutes: say so, and do not retry by ourselves.
  const quota = code === 'upload_ip_quota_exceeded' || code === 'upload_channel_quota_exceeded';
  // Network errors, overload and rate limits are retried; anything else is shown as it is.
  const transient = !quota && (!api || api.status >= 500 || api.status === 429);
  return {
    error: quota ? STRINGS[lang].uploadLimit : transient ? null : (api?.message ?? null),
    uploadAgain: code === 'validation_error' && /upload/i.test(api?.message ?? ''),
    askForm: api !== null && api.status === 400 && /form/i.test(api.message),
  };
}
