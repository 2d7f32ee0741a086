import {
  MAX_SEGMENTS,
  contactSchema,
  pageOf,
  pageQuery,
  segmentBody,
  segmentListSchema,
  segmentPatchBody,
  segmentSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';
import { filterOnly } from '../contacts/contact-filter.ts';
import { contactPage, countContacts } from '../contacts/contact-list.ts';
import { loadSegment, segmentFilter, toSegmentDto } from './segment.service.ts';

const taken = (name: string) => new AppError('conflict', `name: a segment "${name}" already exists`);

/**
 * Saved segments: named contact filters the whole account shares (any member reads them; supervisors
 * and admins change them). Members are whoever matches when asked, so a broadcast to a segment reaches
 * the contacts that match at send time.
 */
export const segmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/segments',
      {
        schema: {
          tags: ['segments'],
          summary: 'Saved contact segments of the account, by name (without counts)',
          response: { 200: segmentListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const rows = await k
          .selectFrom('contact_segments')
          .selectAll()
          .where('account_id', '=', principalOf(req).accountId)
          .orderBy('name')
          .orderBy('id')
          .execute();
        return { items: rows.map((r) => toSegmentDto(r)) };
      },
    );

    app.get(
      '/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary: 'One segment with `count`: how many contacts it matches now',
          params: idParams,
          response: { 200: segmentSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const row = await loadSegment(k, p.accountId, req.params.id);
        return toSegmentDto(
          row,
          await countContacts(ctx, p.accountId, await segmentFilter(k, p.accountId, row.id)),
        );
      },
    );

    app.get(
      '/segments/:id/contacts',
      {
        schema: {
          tags: ['segments'],
          summary: 'The contacts a segment matches now, newest first (as GET /contacts with its filter)',
          params: idParams,
          querystring: pageQuery,
          response: { 200: pageOf(contactSchema), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const filter = await segmentFilter(k, p.accountId, req.params.id);
        return contactPage(ctx, p.accountId, filter, req.query);
      },
    );

    app.post(
      '/segments',
      {
        schema: {
          tags: ['segments'],
          summary: 'Save a contact filter as a named segment (supervisor or admin; the name is unique)',
          body: segmentBody,
          response: { 201: segmentSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const b = req.body;
        const filter = filterOnly(b.filter);
        // Counting checks the filter (an attribute filter must name a defined shape) before it is kept.
        const count = await countContacts(ctx, p.accountId, filter);
        const now = ctx.clock.now();
        const row: Row<'contact_segments'> = {
          id: newId(now),
          account_id: p.accountId,
          name: b.name,
          filter: JSON.stringify(filter),
          created_by: p.userId,
          created_at: now,
          updated_at: now,
        };
        try {
          await k.transaction().execute(async (tx) => {
            const n = await tx
              .selectFrom('contact_segments')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .where('account_id', '=', p.accountId)
              .executeTakeFirstOrThrow();
            if (Number(n.n) >= MAX_SEGMENTS)
              throw new AppError('conflict', `at most ${MAX_SEGMENTS} segments per account`);
            await tx.insertInto('contact_segments').values(row).execute();
            await audit(ctx, tx, p, {
              action: 'segment.created',
              targetType: 'segment',
              targetId: row.id,
              details: { name: b.name, filter },
              ip: req.ip,
            });
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw taken(b.name);
          throw err;
        }
        return reply.status(201).send(toSegmentDto(row, count));
      },
    );

    app.patch(
      '/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary: 'Rename a segment or replace its filter (supervisor or admin)',
          params: idParams,
          body: segmentPatchBody,
          response: { 200: segmentSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const row = await loadSegment(k, p.accountId, req.params.id);
        const b = req.body;
        const filter = b.filter ? filterOnly(b.filter) : await segmentFilter(k, p.accountId, row.id);
        const count = await countContacts(ctx, p.accountId, filter);
        const next: Row<'contact_segments'> = {
          ...row,
          name: b.name ?? row.name,
          filter: JSON.stringify(filter),
          updated_at: ctx.clock.now(),
        };
        try {
          await k.transaction().execute(async (tx) => {
            await tx
              .updateTable('contact_segments')
              .set({ name: next.name, filter: next.filter, updated_at: next.updated_at })
              .where('id', '=', row.id)
              .execute();
            await audit(ctx, tx, p, {
              action: 'segment.updated',
              targetType: 'segment',
              targetId: row.id,
              details: { name: next.name, ...(b.filter ? { filter } : {}) },
              ip: req.ip,
            });
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw taken(next.name);
          throw err;
        }
        return toSegmentDto(next, count);
      },
    );

    app.delete(
      '/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary:
            'Delete a segment (supervisor or admin); broadcasts already sent to it keep their recipients',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const row = await loadSegment(k, p.accountId, req.params.id);
        await k.transaction().execute(async (tx) => {
          await tx.deleteFrom('contact_segments').where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'segment.deleted',
            targetType: 'segment',
            targetId: row.id,
            details: { name: row.name },
            ip: req.ip,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
