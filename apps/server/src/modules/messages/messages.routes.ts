import { messageSchema, pageOf, sendMessageBody as sendBody } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { errorResponses, idParams, newestFirstPage, pageQuery } from '../../http/schemas.ts';
import { assignOnReply } from '../conversations/assign-on-reply.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { openReplyTarget, replyTarget } from '../conversations/reply-channels.ts';
import { transact } from '../events/unit-of-work.ts';
import { capabilitiesOf } from '../channels/channel-capabilities.ts';
import { assertReplyWindow } from '../routing/window/window-policy.ts';
import { assertBotHolds } from '../bots/bot-session.ts';
import { handOff } from '../bots/handoff.service.ts';
import { loadMessageDto, toMessageDtos } from './message.dto.ts';
import { insertOutboundMessage } from './outbound-message.ts';
import { replyAttachments } from './reply-attachments.ts';
import { templateBody } from './template-content.ts';
import { assertMentionable } from '../notifications/mention-check.ts';
import { notify } from '../notifications/notification.service.ts';

export const messageRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/conversations/:id/messages',
      {
        schema: {
          tags: ['messages'],
          summary:
            'Messages of a conversation, oldest first; pass `before` cursor pages backwards from the newest',
          params: idParams,
          querystring: pageQuery,
          response: {
            200: pageOf(messageSchema),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        // Newest page first (what a console opens on), returned in reading order.
        const { page, nextCursor } = await newestFirstPage(
          k.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id),
          req.query.cursor,
          req.query.limit,
        );
        return { items: await toMessageDtos(k, page.reverse()), nextCursor };
      },
    );

    app.post(
      '/conversations/:id/messages',
      {
        schema: {
          tags: ['messages'],
          summary: 'Reply to the customer (queued for delivery; 202) or add a private note',
          params: idParams,
          body: sendBody,
          response: { 202: messageSchema, 201: messageSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const here = await loadVisibleConversation(ctx, p, req.params.id);
        const b = req.body;
        // Another of the customer's channels: the reply goes to their conversation there (maybe new).
        const target =
          b.channelId && b.channelId !== here.channel_id
            ? await replyTarget(ctx, p, here, b.channelId)
            : undefined;
        const conv = target?.conversation ?? here;
        const status = b.private ? 201 : 202;
        // A bot writes as itself, and to the customer only while it holds the conversation.
        const author = p.bot
          ? { kind: 'bot' as const, id: p.bot.id }
          : { kind: 'user' as const, id: p.userId };
        if (p.bot && !b.private) await assertBotHolds(ctx, p.bot.id, conv.id);
        // Scoped like the unique index: a user of two accounts reusing an id never gets the other's message.
        const sameClientId = () =>
          k
            .selectFrom('messages')
            .select('id')
            .where('account_id', '=', p.accountId)
            .where('conversation_id', '=', conv.id)
            .where('author_id', '=', author.id)
            .where('client_message_id', '=', b.clientMessageId);
        const existing = await sameClientId().executeTakeFirst();
        if (existing) return reply.status(status).send((await loadMessageDto(k, existing.id))!);
        // The whole row: the window check below reads it instead of loading it twice more.
        const channel = await k
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', conv.channel_id)
          .executeTakeFirstOrThrow();
        if (!b.private && channel.active !== 1)
          throw new AppError('conflict', 'This channel is deactivated; replies cannot be delivered');
        if (b.email && (b.private || channel.type !== 'email'))
          throw new AppError(
            'validation_error',
            'email: only replies in e-mail conversations have a subject and Cc',
          );
        if (b.replyToMessageId) {
          const quoted = await k
            .selectFrom('messages')
            .select('id')
            .where('id', '=', b.replyToMessageId)
            .where('conversation_id', '=', conv.id)
            .executeTakeFirst();
          if (!quoted)
            throw new AppError('validation_error', 'replyToMessageId: no such message in this conversation');
        }
        const rich = b.location ? 'location' : b.contact ? 'contact' : null;
        if (rich && !capabilitiesOf(channel.type).outbound.contentKinds.includes(rich))
          throw new AppError('validation_error', `${rich}: this channel cannot send a ${rich}`);
        if (!b.private)
          await assertReplyWindow(
            ctx,
            // A refusal is recorded on a conversation that exists, not the one this reply would open.
            target?.isNew ? { ...conv, id: target.refusalOn } : conv,
            p,
            b.template ? 'template' : undefined,
            channel,
          );
        const mentions = [...new Set(b.mentions ?? [])];
        await assertMentionable(k, conv, mentions);
        try {
          const dto = await transact(ctx, async (uow) => {
            if (target) await openReplyTarget(uow, target);
            const attachments = await replyAttachments(
              ctx,
              uow.tx,
              p,
              channel.type,
              b.attachments ?? [],
              b.private,
            );
            // An operator answering a bot's conversation takes it over (and it becomes theirs).
            if (!p.bot && !b.private && conv.status === 'bot') {
              await handOff(ctx, uow, conv, {
                reason: 'operator',
                author,
                ...(conv.assignee_id === null ? { assignTo: p.userId } : {}),
              });
              conv.status = 'open';
            } else if (!p.bot && !b.private) {
              // A reply takes an unassigned conversation for the replier (account setting, on by default).
              await assignOnReply(ctx, uow, conv, p.userId);
            }
            const message = await insertOutboundMessage(ctx, uow, {
              conversation: conv,
              authorKind: author.kind,
              authorId: author.id,
              contentKind: b.template
                ? 'template'
                : (rich ?? (b.text !== undefined ? 'text' : (attachments[0]?.kind ?? 'text'))),
              body:
                b.text ??
                (b.template
                  ? templateBody(b.template)
                  : b.location
                    ? `${b.location.latitude}, ${b.location.longitude}`
                    : b.contact
                      ? `${b.contact.name} ${b.contact.phone}`
                      : null),
              meta: {
                // The console shows the bot by this name (operators cannot list bots).
                ...(p.bot ? { bot: { id: p.bot.id, name: p.bot.name } } : {}),
                ...(b.location ? { location: b.location } : {}),
                ...(b.contact ? { sharedContact: b.contact } : {}),
                ...(b.template ? { template: b.template } : {}),
                ...(b.replyToMessageId ? { replyToMessageId: b.replyToMessageId } : {}),
                ...(b.email ? { email: b.email } : {}),
                ...(b.buttons ? { buttons: b.buttons } : {}),
                // Where the operator moved from, so the new channel's thread shows how it began.
                ...(target ? { fromConversationId: here.id } : {}),
                ...(mentions.length ? { mentions } : {}),
              },
              // A bot's answer is not a first response: that figure stays the people's.
              isReply: !p.bot,
              private: b.private,
              clientMessageId: b.clientMessageId,
              attachments,
            });
            await notify(uow, {
              accountId: conv.account_id,
              userIds: mentions,
              kind: 'mention',
              conversationId: conv.id,
              messageId: message.id,
              actorId: author.kind === 'user' ? author.id : null,
              text: message.text,
              now: message.createdAt,
            });
            return message;
          });
          return reply.status(status).send(dto);
        } catch (err) {
          // Files the channel cannot carry: the request is well formed but cannot be served (422), unlike
          // an upload of a type nothing can send (415).
          if (err instanceof DomainError && err.code === 'unsupported_media_type')
            throw new AppError(err.code, err.message, err.details, 422);
          // A concurrent double click with the same clientMessageId: answer with the one that won.
          if (!isUniqueViolation(err)) throw err;
          const won = await sameClientId().executeTakeFirstOrThrow();
          return reply.status(status).send((await loadMessageDto(k, won.id))!);
        }
      },
    );
  };
