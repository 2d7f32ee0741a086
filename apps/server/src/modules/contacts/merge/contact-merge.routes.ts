import {
  contactMergeListSchema,
  mergeBody,
  mergePreviewQuery,
  mergePreviewSchema,
  mergeResultSchema,
  unmergeBody,
  unmergeResultSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { requireRole } from '../../auth/principal.ts';
import { transact } from '../../events/unit-of-work.ts';
import { lockPair, mergeContacts } from './contact-merge.service.ts';
import { unmergeContacts } from './contact-unmerge.service.ts';
import { planMerge } from './merge-plan.ts';
import { toMergeDto } from './merge-record.ts';

/** Merge two contacts (preview first), undo a merge within a day, and a contact's merge history. */
export const contactMergeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const preview = async (accountId: string, id: string, otherId: string) =>
      k.transaction().execute(async (tx) => {
        const { survivor, other } = await lockPair(ctx, tx, accountId, id, otherId, false);
        return (await planMerge(tx, survivor, other)).preview;
      });

    app.post(
      '/contacts/:id/merge/preview',
      {
        schema: {
          tags: ['contacts'],
          summary: 'What merging `otherContactId` into this contact would do (nothing changes)',
          params: idParams,
          body: mergeBody,
          response: { 200: mergePreviewSchema, ...errorResponses },
        },
      },
      async (req) => preview(principalOf(req).accountId, req.params.id, req.body.otherContactId),
    );

    app.get(
      '/contacts/:id/merge-preview',
      {
        schema: {
          tags: ['contacts'],
          summary: 'The same preview as POST /contacts/{id}/merge/preview, as a read',
          params: idParams,
          querystring: mergePreviewQuery,
          response: { 200: mergePreviewSchema, ...errorResponses },
        },
      },
      async (req) => preview(principalOf(req).accountId, req.params.id, req.query.otherContactId),
    );

    app.post(
      '/contacts/:id/merge',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Merge `otherContactId` into this contact (supervisor): identities, conversations, notes, labels, attributes and consent move here in one transaction; the other id then answers 301 to this one. Undo within a day.',
          params: idParams,
          body: mergeBody,
          response: { 200: mergeResultSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const { merge, contact } = await transact(ctx, (uow) =>
          mergeContacts(ctx, uow, p, req.params.id, req.body.otherContactId, 'manual', req.ip),
        );
        return { merge: toMergeDto(merge), contact };
      },
    );

    app.post(
      '/contacts/:id/unmerge',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Undo a merge into this contact within a day (supervisor): the other contact returns with its identities and their conversations',
          params: idParams,
          body: unmergeBody,
          response: { 200: unmergeResultSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const r = await transact(ctx, (uow) =>
          unmergeContacts(ctx, uow, p, req.params.id, req.body.mergeId, req.ip),
        );
        return { merge: toMergeDto(r.merge), contact: r.contact, restored: r.restored };
      },
    );

    app.get(
      '/contacts/:id/merges',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Merges into this contact, newest first (with how long each can still be undone)',
          params: idParams,
          response: { 200: contactMergeListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const rows = await k
          .selectFrom('contact_merges')
          .selectAll()
          .where('account_id', '=', principalOf(req).accountId)
          .where('survivor_id', '=', req.params.id)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(100)
          .execute();
        return { items: rows.map(toMergeDto) };
      },
    );
  };
