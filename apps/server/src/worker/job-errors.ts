/** A failure that may pass: retried with backoff, or after exactly `retryAfterMs` when the provider said so. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A failure that retrying cannot fix (blocked by the user, invalid recipient): the job goes dead at once. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code = 'permanent_failure',
  ) {
    super(message);
  }
}
