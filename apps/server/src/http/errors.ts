import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@switchboard/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isUnavailable } from '../infra/unavailable.ts';
import { DomainError } from '../lib/domain-error.ts';

/**
 * An error the HTTP layer raises itself (body parsing, validation, an edge such as a webhook's signature
 * check that must answer with a provider's expected status). Domain code throws DomainError; both are
 * answered as `{error: {code, message}}`, with the status of the code in the shared catalogue unless
 * given here.
 */
export class AppError extends DomainError {
  readonly status: number;
  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(code, message, details);
    this.status = status ?? ERROR_CODES[code];
  }
}

/** The one place a domain error's code becomes an HTTP status. */
export function httpStatusOf(err: DomainError): number {
  return err instanceof AppError ? err.status : ERROR_CODES[err.code];
}

export { conflict, forbidden, notFound } from '../lib/domain-error.ts';

const ISSUE_PARAMS = ['origin', 'minimum', 'maximum', 'expected', 'format', 'values'] as const;

function issueParams(code: unknown, params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = typeof code === 'string' ? { code } : {};
  const p = (params ?? {}) as Record<string, unknown>;
  for (const k of ISSUE_PARAMS) {
    const v = p[k];
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v !== undefined && (typeof v !== 'object' || Array.isArray(v))) out[k] = v;
  }
  return out;
}

/** Maps Fastify's own errors (body parsing, limits, validation) onto the stable error catalogue. */
function fromFastifyError(err: FastifyError): AppError | undefined {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message,
      // The schema library's issue code and bounds, so a client can say the same in its own language.
      ...issueParams(v.keyword, v.params),
    }));
    const first = issues[0];
    return new AppError(
      'validation_error',
      first ? `${first.path}: ${first.message}` : 'Invalid request',
      issues,
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('body_too_large', 'The request body is larger than the configured limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Unsupported Content-Type; send application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('bad_request', 'Content-Length does not match the body');
    default:
      break;
  }
  if (err.validation) return new AppError('validation_error', err.message);
  if (err.statusCode === 429) return new AppError('rate_limited', 'Too many requests; slow down');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError('bad_request', err.message);
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = err instanceof DomainError ? err : fromFastifyError(err);
    if (appErr) {
      const status = httpStatusOf(appErr);
      const body: ErrorBody = { error: { code: appErr.code, message: appErr.message } };
      if (appErr.details !== undefined) body.error.details = appErr.details;
      const retryAfter = (appErr.details as { retryAfter?: unknown } | undefined)?.retryAfter;
      if (status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.status(status).send(body);
    }
    if (isUnavailable(err)) {
      req.log.warn({ err, reqId: req.id }, 'backing service unavailable');
      const body: ErrorBody = {
        error: {
          code: 'service_unavailable',
          message: 'Temporarily unavailable; retry shortly',
          requestId: String(req.id),
        },
      };
      return reply.status(503).header('retry-after', '5').send(body);
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    const body: ErrorBody = {
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side',
        requestId: String(req.id),
      },
    };
    return reply.status(500).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = {
      error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` },
    };
    return reply.status(404).send(body);
  });
}
