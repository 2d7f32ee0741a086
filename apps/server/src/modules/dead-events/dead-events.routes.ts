import { deadEventDetailSchema, deadEventListQuery, deadEventPageSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { discardDeadEvent, getDeadEvent, listDeadEvents, retryDeadEvent } from './dead-events.service.ts';

/** Admins' view of inbound events whose processing failed for good: inspect, retry, discard. */
export const deadEventRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dead-events',
      {
        schema: {
          tags: ['dead-events'],
          summary: 'Inbound events whose processing failed for good, newest failure first (admin)',
          description:
            'A provider event that keeps failing (a payload the parser rejects, a value the database refuses) ' +
            "is retried briefly, then kept here with its error instead of being dropped; the customer's later " +
            'events are not held behind it. Cursor pagination.',
          querystring: deadEventListQuery,
          response: { 200: deadEventPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        return listDeadEvents(ctx, p.accountId, req.query);
      },
    );

    app.get(
      '/dead-events/:id',
      {
        schema: {
          tags: ['dead-events'],
          summary: 'One inbound event with its stored payload and last error (admin)',
          params: idParams,
          response: { 200: deadEventDetailSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        return getDeadEvent(ctx, p.accountId, req.params.id);
      },
    );

    app.post(
      '/dead-events/:id/retry',
      {
        schema: {
          tags: ['dead-events'],
          summary: 'Process a dead (or discarded) event again (admin); 409 if it is not dead',
          description:
            'Queues the event for the worker again and answers with its new status (`retrying`). If it fails ' +
            'again it comes back as dead with the new error. Audited as `dead_event.retried`.',
          params: idParams,
          response: { 200: deadEventDetailSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        return retryDeadEvent(ctx, p, req.params.id);
      },
    );

    app.post(
      '/dead-events/:id/discard',
      {
        schema: {
          tags: ['dead-events'],
          summary: 'Set a dead event aside (admin): kept as a record, listed under status=discarded',
          description: 'It can still be retried later. Audited as `dead_event.discarded`.',
          params: idParams,
          response: { 200: deadEventDetailSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        return discardDeadEvent(ctx, p, req.params.id);
      },
    );
  };
