import type { ErrorCode } from '@switchboard/shared';

/**
 * A rule of the domain said no: the caller asked for something missing, forbidden or in conflict. It
 * carries a stable code from the shared catalogue and no HTTP status; the HTTP layer (http/errors.ts)
 * maps the code to a status, a job or the CLI reports it as it is.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
