import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { TelegramApiError, TelegramNetworkError } from './telegram-client.ts';

/**
 * Bot API failures as job outcomes, with reasons an operator understands. 429 waits exactly
 * `retry_after`; 5xx and network failures retry with backoff; the rest retrying cannot fix.
 */
export function telegramJobError(err: unknown): Error {
  if (err instanceof TelegramNetworkError) return new RetryableError(err.message);
  if (!(err instanceof TelegramApiError)) {
    return err instanceof Error ? new RetryableError(err.message) : new RetryableError(String(err));
  }
  const d = err.description;
  const code = err.errorCode;
  if (code === 429) {
    const after = err.parameters.retry_after;
    return new RetryableError(
      `Telegram rate limit: ${d}`,
      typeof after === 'number' && after >= 0 ? after * 1000 : undefined,
    );
  }
  if (code >= 500) return new RetryableError(`Telegram is unavailable: ${code} ${d}`);
  if (code === 403) {
    if (/blocked by the user/i.test(d)) {
      return new PermanentError(
        'The customer blocked the bot on Telegram (blocked by the user); they must unblock it to get replies',
        'blocked',
      );
    }
    if (/deactivated/i.test(d)) {
      return new PermanentError(`The customer's Telegram account is deleted (${d})`, 'recipient_unavailable');
    }
    return new PermanentError(`Telegram does not let the bot write here: ${d}`, 'forbidden');
  }
  if (code === 401 || code === 404) {
    return new PermanentError(
      `Telegram does not accept this channel's bot token (${d}); an admin must update it`,
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
  return new PermanentError(`Telegram rejected the message: ${d}`, 'rejected');
}
