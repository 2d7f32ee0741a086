import { PermanentError } from '../../worker/job-errors.ts';

/**
 * A send the provider refused because the customer opted out with the provider itself (Twilio 21610).
 * The send job records the opt-out, so nothing more is queued for them in that scope.
 */
export class RecipientOptedOutError extends PermanentError {
  constructor(
    message: string,
    /** What the provider said, kept as the opt-out's source (e.g. `twilio:21610`). */
    readonly source: string,
  ) {
    super(message, 'opted_out');
  }
}
