import {
  conversationListQuery as listQuery,
  conversationPatchBody as patchBody,
  conversationDetailSchema,
  conversationSchema,
} from '@switchboard/shared';
import { addTransferNote } from './transfer-note.ts';
import { conversationCsat } from '../csat/csat-query.ts';
import { withDrillDown } from '../reports/drill-down.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams } from '../../http/schemas.ts';
import { cursorOf, orderList, withSortKeys } from './list-order.ts';
import { listFilterConditions } from './list-filter.ts';
import { hasRole } from '../auth/principal.ts';
import { emitConversationChanged } from '../events/conversation-events.ts';
import { transact } from '../events/unit-of-work.ts';
import { onConversationPatched } from '../routing/routing.hooks.ts';
import { endBotSession } from '../bots/bot-session.ts';
import { loadDefinitions, mergeAttributes, parseAttributes } from '../attributes/attribute-values.ts';
import { loadVisibleConversation, visibleTeamIds } from './conversation-access.ts';
import { conversationQuery, loadConversationDto, toConversationDtos } from './conversation.dto.ts';
import { requireAccountTeam } from '../teams/account-team.ts';

export const conversationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/conversations',
      {
        schema: {
          tags: ['conversations'],
          summary:
            'List conversations, newest activity first, longest waiting, by priority or nearest SLA due first (cursor pagination), with your unread counts',
          querystring: listQuery,
          response: {
            200: z.object({ items: z.array(conversationSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        const scope = { accountId: p.accountId, userId: p.userId, teams: await visibleTeamIds(ctx, p) };
        let query = conversationQuery(k).where('c.account_id', '=', p.accountId);
        for (const cond of await listFilterConditions(ctx, scope, q, ctx.clock.now()))
          query = query.where(cond);
        query = withDrillDown(query, q);
        const rows = await withSortKeys(orderList(query, q.sort, q.cursor, decodeCursor(q.cursor)))
          .limit(q.limit + 1)
          .execute();
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          items: await toConversationDtos(k, page, p.userId),
          nextCursor: rows.length > q.limit && last ? encodeCursor(cursorOf(last, q.sort)) : null,
        };
      },
    );

    app.get(
      '/conversations/:id',
      {
        schema: {
          tags: ['conversations'],
          summary: 'One conversation, with its CSAT rating',
          params: idParams,
          response: { 200: conversationDetailSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const row = await loadVisibleConversation(ctx, p, req.params.id);
        const dto = (await loadConversationDto(k, row.id, p.accountId, p.userId))!;
        return { ...dto, csat: await conversationCsat(k, row.id) };
      },
    );

    app.patch(
      '/conversations/:id',
      {
        schema: {
          tags: ['conversations'],
          summary:
            'Change status, assignee, team, priority, labels or custom attributes; transfer with a comment (`note`)',
          params: idParams,
          body: patchBody,
          response: { 200: conversationSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        if (b.assigneeId) {
          const m = await k
            .selectFrom('memberships')
            .select(['user_id', 'active'])
            .where('account_id', '=', p.accountId)
            .where('user_id', '=', b.assigneeId)
            .executeTakeFirst();
          if (m?.active !== 1)
            throw new AppError('validation_error', 'assigneeId: no active user with this id in the account');
          // Operators may take a conversation themselves; handing it to someone else is a supervisor's call.
          if (b.assigneeId !== p.userId && !hasRole(p, 'supervisor') && conv.assignee_id !== p.userId) {
            throw new AppError(
              'forbidden',
              'Operators can assign only to themselves or transfer their own conversations',
            );
          }
        }
        if (b.teamId) await requireAccountTeam(k, p.accountId, b.teamId);
        if (b.status === 'bot' && conv.status !== 'bot')
          throw new AppError(
            'validation_error',
            'status: only a channel with a bot starts conversations in bot',
          );
        if (b.status === 'snoozed' && !b.snoozedUntil)
          throw new AppError('validation_error', 'snoozedUntil is required to snooze');
        const now = ctx.clock.now();
        const patch: RowUpdate<'conversations'> = { updated_at: now };
        if (b.status !== undefined) {
          patch.status = b.status;
          patch.snoozed_until = b.status === 'snoozed' ? b.snoozedUntil! : null;
          patch.resolved_at = b.status === 'resolved' ? now : null;
        }
        if (b.assigneeId !== undefined) patch.assignee_id = b.assigneeId;
        // Assigning a bot's conversation to someone takes it over from the bot.
        if (conv.status === 'bot' && b.assigneeId && b.status === undefined) patch.status = 'open';
        if (b.teamId !== undefined) patch.team_id = b.teamId;
        if (b.priority !== undefined) patch.priority = b.priority;
        if (b.attributes !== undefined) {
          const defs = await loadDefinitions(k, p.accountId, 'conversation');
          const merged = mergeAttributes(parseAttributes(conv.attributes), b.attributes, defs, true);
          patch.attributes = JSON.stringify(merged);
        }
        return transact(ctx, async (uow) => {
          await uow.tx.updateTable('conversations').set(patch).where('id', '=', conv.id).execute();
          if (conv.status === 'bot' && patch.status && patch.status !== 'bot')
            await endBotSession(uow.tx, conv.id, 'operator', now);
          if (b.labels !== undefined) {
            await uow.tx.deleteFrom('conversation_labels').where('conversation_id', '=', conv.id).execute();
            const labels = [...new Set(b.labels)];
            if (labels.length) {
              await uow.tx
                .insertInto('conversation_labels')
                .values(labels.map((label) => ({ conversation_id: conv.id, account_id: p.accountId, label })))
                .execute();
            }
          }
          if (b.note !== undefined) {
            const after = await uow.tx
              .selectFrom('conversations')
              .selectAll()
              .where('id', '=', conv.id)
              .executeTakeFirstOrThrow();
            await addTransferNote(ctx, uow, after, {
              note: b.note,
              actorId: p.userId,
              toUserId: after.assignee_id !== conv.assignee_id ? after.assignee_id : null,
              toTeamId: after.team_id !== conv.team_id ? after.team_id : null,
            });
          }
          const dto = (await loadConversationDto(uow.tx, conv.id, p.accountId))!;
          // Both teams hear of a transfer; a status into or out of resolved is its own event too.
          emitConversationChanged(uow, p.accountId, conv, dto);
          await onConversationPatched(ctx, uow, conv, p.userId);
          return dto;
        });
      },
    );
  };
