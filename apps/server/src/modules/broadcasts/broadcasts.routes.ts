import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import {
  decodeCursor,
  encodeCursor,
  errorResponses,
  idParams,
  newestFirstPage,
  pageQuery,
} from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { type Principal, requireRole } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { templateAllowedOutsideWindow } from '../routing/window/window-policy.ts';
import {
  RECIPIENT_OUTCOMES,
  broadcastSchema,
  createBroadcastBody,
  loadBroadcastDto,
  recipientSchema,
} from './broadcast.dto.ts';
import { AUDIENCE_CHUNK, resolveAudience } from './broadcast-audience.ts';
import { BROADCAST_JOB } from './broadcast.job.ts';
import { broadcastPreviewRoutes } from './broadcast-preview.routes.ts';

export const broadcastRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    await app.register(broadcastPreviewRoutes(ctx));

    async function loadBroadcast(p: Principal, id: string): Promise<Row<'broadcasts'>> {
      const row = await k
        .selectFrom('broadcasts')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', p.accountId)
        .executeTakeFirst();
      if (!row) throw notFound('Broadcast');
      return row;
    }

    async function existingFor(p: Principal, clientId: string | undefined) {
      if (!clientId) return undefined;
      return k
        .selectFrom('broadcasts')
        .selectAll()
        .where('account_id', '=', p.accountId)
        .where('created_by', '=', p.userId)
        .where('client_broadcast_id', '=', clientId)
        .executeTakeFirst();
    }

    app.post(
      '/broadcasts',
      {
        schema: {
          tags: ['broadcasts'],
          summary:
            'Send one message to many contacts of a channel (supervisor or admin; 202). Each recipient is ' +
            'checked on its own, when its turn comes, like any reply: the messaging window (a template passes ' +
            'a closed WhatsApp window), opt-out, explicit opt-in. Refusals are recorded and reported per ' +
            'recipient; nothing is queued for them.',
          body: createBroadcastBody,
          response: { 202: broadcastSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const b = req.body;
        const again = await existingFor(p, b.clientBroadcastId);
        if (again) return reply.status(202).send(await loadBroadcastDto(k, again));
        const channel = await k
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', b.channelId)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!channel) throw notFound('Channel');
        if (channel.active !== 1)
          throw new AppError('conflict', 'This channel is deactivated; nothing can be sent through it');
        if (b.template && !templateAllowedOutsideWindow(channel.type))
          throw new AppError(
            'validation_error',
            `template: ${channel.type} channels have no provider templates`,
            [{ path: 'body.template', message: 'provider templates exist on WhatsApp channels only' }],
          );
        const contacts = await resolveAudience(ctx.db, p.accountId, b);
        const now = ctx.clock.now();
        const id = newId(now);
        try {
          const row = await transact(ctx, async (uow) => {
            const row: Row<'broadcasts'> = {
              id,
              account_id: p.accountId,
              channel_id: channel.id,
              created_by: p.userId,
              name: b.name ?? null,
              content: JSON.stringify(b.template ? { template: b.template } : { text: b.text }),
              audience: JSON.stringify({
                ...(b.contactIds ? { contactIds: b.contactIds } : {}),
                ...(b.label ? { label: b.label } : {}),
                ...(b.segmentId ? { segmentId: b.segmentId } : {}),
              }),
              status: 'running',
              client_broadcast_id: b.clientBroadcastId ?? null,
              created_at: now,
              finished_at: null,
            };
            await uow.tx.insertInto('broadcasts').values(row).execute();
            for (let i = 0; i < contacts.length; i += AUDIENCE_CHUNK) {
              await uow.tx
                .insertInto('broadcast_recipients')
                .values(
                  contacts.slice(i, i + AUDIENCE_CHUNK).map((contact_id) => ({
                    broadcast_id: id,
                    contact_id,
                    outcome: 'pending',
                    conversation_id: null,
                    message_id: null,
                    closed_at: null,
                    updated_at: now,
                  })),
                )
                .execute();
            }
            await uow.enqueue({ type: BROADCAST_JOB, payload: { broadcastId: id }, accountId: p.accountId });
            await audit(ctx, uow.tx, p, {
              action: 'broadcast.created',
              targetType: 'broadcast',
              targetId: id,
              details: {
                channelId: channel.id,
                recipients: contacts.length,
                template: !!b.template,
                ...(b.segmentId ? { segmentId: b.segmentId } : {}),
              },
              ip: req.ip,
            });
            return row;
          });
          return reply.status(202).send(await loadBroadcastDto(k, row));
        } catch (err) {
          // The same clientBroadcastId sent twice at once: answer with the one that won.
          if (!isUniqueViolation(err)) throw err;
          const won = await existingFor(p, b.clientBroadcastId);
          if (!won) throw err;
          return reply.status(202).send(await loadBroadcastDto(k, won));
        }
      },
    );

    app.get(
      '/broadcasts',
      {
        schema: {
          tags: ['broadcasts'],
          summary: 'Broadcasts of the account, newest first (supervisor or admin)',
          querystring: pageQuery,
          response: {
            200: z.object({ items: z.array(broadcastSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const { page, nextCursor } = await newestFirstPage(
          k.selectFrom('broadcasts').selectAll().where('account_id', '=', p.accountId),
          req.query.cursor,
          req.query.limit,
        );
        return { items: await Promise.all(page.map((r) => loadBroadcastDto(k, r))), nextCursor };
      },
    );

    app.get(
      '/broadcasts/:id',
      {
        schema: {
          tags: ['broadcasts'],
          summary: 'One broadcast with its recipient outcomes and delivery counts (supervisor or admin)',
          params: idParams,
          response: { 200: broadcastSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        return loadBroadcastDto(k, await loadBroadcast(p, req.params.id));
      },
    );

    app.get(
      '/broadcasts/:id/recipients',
      {
        schema: {
          tags: ['broadcasts'],
          summary: 'Who got the broadcast and who did not, and why (supervisor or admin)',
          params: idParams,
          querystring: pageQuery.extend({ outcome: z.enum(RECIPIENT_OUTCOMES).optional() }),
          response: {
            200: z.object({ items: z.array(recipientSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const b = await loadBroadcast(p, req.params.id);
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && cursor?.length !== 1)
          throw new AppError('validation_error', 'cursor: malformed');
        const rows = await k
          .selectFrom('broadcast_recipients as r')
          .innerJoin('contacts as c', 'c.id', 'r.contact_id')
          .leftJoin('messages as m', 'm.id', 'r.message_id')
          .select([
            'r.contact_id',
            'c.name',
            'r.outcome',
            'r.conversation_id',
            'r.message_id',
            'r.closed_at',
            'm.delivery_status',
          ])
          .where('r.broadcast_id', '=', b.id)
          .$if(req.query.outcome !== undefined, (q) => q.where('r.outcome', '=', req.query.outcome!))
          .$if(cursor !== undefined, (q) => q.where('r.contact_id', '>', String(cursor![0])))
          .orderBy('r.contact_id')
          .limit(req.query.limit + 1)
          .execute();
        const page = rows.slice(0, req.query.limit);
        const last = page.at(-1);
        return {
          items: page.map((r) => ({
            contactId: r.contact_id,
            contactName: r.name,
            outcome: r.outcome as (typeof RECIPIENT_OUTCOMES)[number],
            conversationId: r.conversation_id,
            messageId: r.message_id,
            deliveryStatus: r.delivery_status ?? null,
            windowClosedAt: r.closed_at,
          })),
          nextCursor: rows.length > req.query.limit && last ? encodeCursor([last.contact_id]) : null,
        };
      },
    );
  };
