import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { AppError } from '../../../http/errors.ts';
import { GraphApiError, type GraphConn, GraphNetworkError, graphRoot } from './graph-client.ts';

/** A Graph failure while connecting a channel, as what the admin must fix. */
export function activationError(err: unknown, c: GraphConn, tokenField: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof BlockedUrlError)
    return new AppError(
      'validation_error',
      `settings.apiBaseUrl: ${err.message}; list the host in ALLOW_PRIVATE_URLS to allow it`,
    );
  if (err instanceof GraphNetworkError) {
    return new AppError(
      'service_unavailable',
      `Could not reach the ${c.product} API at ${graphRoot(c)}: ${err.message}`,
    );
  }
  if (err instanceof GraphApiError && (err.code === 190 || err.httpStatus === 401)) {
    return new AppError(
      'validation_error',
      `settings.${tokenField}: ${c.product} does not accept this token (${err.detail})`,
    );
  }
  if (err instanceof GraphApiError) {
    return new AppError('validation_error', `${c.product} says: ${err.detail} (error ${err.code})`);
  }
  return new AppError('service_unavailable', err instanceof Error ? err.message : String(err));
}
