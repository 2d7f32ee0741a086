import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { TelegramApiError, TelegramNetworkError } from './telegram-client.ts';

/**
 * Bot API failures as job outcomes, with reasons an operator understands. 429 waits exactly
 * `retry_after`; 5xx and network failures retry with backoff; the rest retrying cannot fix. The
 * description is read to pick the reason but never copied into it: reasons are stored where every
 * operator sees them, and the answer comes from whatever host the channel's API base points at.
 */
export function telegramJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof TelegramNetworkError) return new RetryableError(err.message);
  if (!(err instanceof TelegramApiError)) {
    return err instanceof Error ? new RetryableError(err.message) : new RetryableError(String(err));
  }
  const d = err.description;
  const code = err.errorCode;
  const c = `(error ${code})`;
  if (code === 429) {
    const after = err.parameters.retry_after;
    return new RetryableError(
      `Telegram rate limit ${c}`,
      typeof after === 'number' && after >= 0 ? after * 1000 : undefined,
    );
  }
  if (code >= 500) return new RetryableError(`Telegram is unavailable ${c}`);
  if (code === 403) {
    if (/blocked by the user/i.test(d)) {
      return new PermanentError(
        'The customer blocked the bot on Telegram (blocked by the user); they must unblock it to get replies',
        'blocked',
      );
    }
    if (/deactivated/i.test(d)) {
      return new PermanentError("The customer's Telegram account is deleted", 'recipient_unavailable');
    }
    return new PermanentError(`Telegram does not let the bot write to this chat ${c}`, 'forbidden');
  }
  if (code === 401 || code === 404) {
    return new PermanentError(
      `Telegram does not accept this channel's bot token ${c}; an admin must update it`,
      'invalid_token',
    );
  }
  const migrated = err.parameters.migrate_to_chat_id;
  if (code === 400 && migrated !== undefined) {
    return new PermanentError(
      `The Telegram group was upgraded to a supergroup (new chat id ${migrated}); new messages arrive there`,
      'chat_migrated',
    );
  }
  if (/chat not found|user not found|PEER_ID_INVALID/i.test(d)) {
    return new PermanentError(`Telegram does not know this chat ${c}`, 'recipient_unavailable');
  }
  if (/too long|too big|too large/i.test(d)) {
    return new PermanentError(`The message or file is too large for Telegram ${c}`, 'too_large');
  }
  if (/file|URL|webpage|media/i.test(d)) {
    return new PermanentError(
      `Telegram could not fetch or send the attachment ${c}`,
      'attachment_unavailable',
    );
  }
  return new PermanentError(`Telegram rejected the message ${c}`, 'rejected');
}
