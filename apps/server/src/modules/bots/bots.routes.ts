import {
  botSchema,
  createBotBody,
  createdBotSchema,
  handoffBody,
  pageOf,
  updateBotBody,
  webhookDeliverySchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams, pageQuery } from '../../http/schemas.ts';
import { conversationSchema } from '@switchboard/shared';
import { requireRole } from '../auth/principal.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { transact } from '../events/unit-of-work.ts';
import { listDeliveries } from '../webhooks/webhook-deliveries.service.ts';
import { createBot, deleteBot, loadBot, toBotDtos, updateBot } from './bot.service.ts';
import { handOff } from './handoff.service.ts';

const tags = ['bots'];

/** `/api/v1/bots` (admins) and `/api/v1/conversations/:id/handoff` (the bot itself, or people). */
export const botRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const admin = {
      preHandler: async (req: Parameters<typeof principalOf>[0]) => requireRole(principalOf(req), 'admin'),
    };

    app.post(
      '/bots',
      {
        ...admin,
        schema: {
          tags,
          summary:
            'Add a bot. Agent bots: new conversations on its channels start in status `bot` and their events are POSTed to `url`, signed like outgoing webhooks (bodies under `webhooks`); the bot answers with its API token through POST /conversations/:id/messages and hands off with POST /conversations/:id/handoff. The token and secret are in this answer and never again. Menu bots: no URL, a menu.',
          body: createBotBody,
          response: { 201: createdBotSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { row, token, secret } = await createBot(ctx, principalOf(req), req.body, req.ip);
        const [dto] = await toBotDtos(k, [row]);
        return reply.status(201).send({ ...dto!, token, secret });
      },
    );

    app.get(
      '/bots',
      {
        ...admin,
        schema: {
          tags,
          summary: "The account's bots",
          response: { 200: z.object({ items: z.array(botSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const rows = await k
          .selectFrom('bots')
          .selectAll()
          .where('account_id', '=', principalOf(req).accountId)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        return { items: await toBotDtos(k, rows) };
      },
    );

    app.get(
      '/bots/:id',
      {
        ...admin,
        schema: {
          tags,
          summary: 'One bot',
          params: idParams,
          response: { 200: botSchema, ...errorResponses },
        },
      },
      async (req) => (await toBotDtos(k, [await loadBot(k, principalOf(req).accountId, req.params.id)]))[0]!,
    );

    const update = async (
      req: { params: { id: string }; body: z.output<typeof updateBotBody>; ip: string } & Parameters<
        typeof principalOf
      >[0],
    ) => (await toBotDtos(k, [await updateBot(ctx, principalOf(req), req.params.id, req.body, req.ip)]))[0]!;
    const updateSchema = {
      tags,
      summary:
        'Change a bot; `active: false` hands every conversation it holds to people at once (true also resumes a paused delivery)',
      params: idParams,
      body: updateBotBody,
      response: { 200: botSchema, ...errorResponses },
    };
    app.put('/bots/:id', { ...admin, schema: updateSchema }, update);
    app.patch('/bots/:id', { ...admin, schema: updateSchema }, update);

    app.delete(
      '/bots/:id',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Remove a bot: its token stops working and the conversations it holds go to people',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deleteBot(ctx, principalOf(req), req.params.id, req.ip);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/bots/:id/deliveries',
      {
        ...admin,
        schema: {
          tags,
          summary: "An agent bot's delivery log, newest first (as for webhooks; cursor pages)",
          params: idParams,
          querystring: pageQuery,
          response: { 200: pageOf(webhookDeliverySchema), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const bot = await loadBot(k, p.accountId, req.params.id);
        if (!bot.webhook_id) return { items: [], nextCursor: null };
        return listDeliveries(ctx, p.accountId, bot.webhook_id, req.query, bot.id);
      },
    );

    app.post(
      '/conversations/:id/handoff',
      {
        schema: {
          tags,
          summary:
            'Hand a conversation a bot holds to people (the bot with its token, or an operator): status `open`, routing assigns it as a new conversation, the note becomes a private note, the bot hears nothing more of it. 409 when no bot holds it.',
          params: idParams,
          body: handoffBody,
          response: { 200: conversationSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        const teamId = req.body.team ?? req.body.teamId;
        return transact(ctx, async (uow) => {
          await handOff(ctx, uow, conv, {
            reason: p.bot ? 'bot' : 'operator',
            author: p.bot ? { kind: 'bot', id: p.bot.id, name: p.bot.name } : { kind: 'user', id: p.userId },
            ...(teamId ? { teamId } : {}),
            ...(req.body.note ? { note: req.body.note } : {}),
          });
          return (await loadConversationDto(uow.tx, conv.id, p.accountId))!;
        });
      },
    );
  };
