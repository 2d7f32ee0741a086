import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { GraphApiError, type GraphConn, GraphNetworkError, graphRoot } from './graph-client.ts';

/** A Graph failure while connecting a channel, as what the admin must fix. */
export function activationError(err: unknown, c: GraphConn, tokenField: string): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof BlockedUrlError)
    return new DomainError(
      'validation_error',
      `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
    );
  if (err instanceof GraphNetworkError) {
    return new DomainError(
      'service_unavailable',
      `Could not reach the ${c.product} API at ${graphRoot(c)}: ${err.message}`,
    );
  }
  if (err instanceof GraphApiError && (err.code === 190 || err.httpStatus === 401)) {
    return new DomainError(
      'validation_error',
      `settings.${tokenField}: ${c.product} does not accept this token (${err.detail})`,
    );
  }
  if (err instanceof GraphApiError) {
    return new DomainError('validation_error', `${c.product} says: ${err.detail} (error ${err.code})`);
  }
  return new DomainError('service_unavailable', err instanceof Error ? err.message : String(err));
}
