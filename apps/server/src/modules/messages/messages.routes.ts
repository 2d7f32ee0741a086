import { messageSchema, pageOf, sendMessageBody as sendBody } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams, pageQuery } from '../../http/schemas.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { transact } from '../events/unit-of-work.ts';
import { assertReplyWindow } from '../routing/window/window-policy.ts';
import { indexMessage } from '../search/search-index.ts';
import { loadMessageDto, previewOf, toMessageDtos } from './message.dto.ts';
import { SEND_JOB } from './send-message.job.ts';
import { kindOfMime } from './content-kind.ts';
import { claimUploads } from '../media/upload.service.ts';
import { assertChannelCarries } from './outbound-media-check.ts';

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
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && cursor?.length !== 2)
          throw new AppError('validation_error', 'cursor: malformed');
        let q = k.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id);
        if (cursor) {
          const [at, id] = cursor as [number, string];
          q = q.where((eb) =>
            eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
          );
        }
        // Newest page first (what a console opens on), returned in reading order.
        const rows = await q
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(req.query.limit + 1)
          .execute();
        const page = rows.slice(0, req.query.limit);
        const oldest = page[page.length - 1];
        return {
          items: await toMessageDtos(k, page.reverse()),
          nextCursor:
            rows.length > req.query.limit && oldest ? encodeCursor([oldest.created_at, oldest.id]) : null,
        };
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
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        const b = req.body;
        const status = b.private ? 201 : 202;
        // Scoped like the unique index: a user of two accounts reusing an id never gets the other's message.
        const sameClientId = () =>
          k
            .selectFrom('messages')
            .select('id')
            .where('account_id', '=', p.accountId)
            .where('conversation_id', '=', conv.id)
            .where('author_id', '=', p.userId)
            .where('client_message_id', '=', b.clientMessageId);
        const existing = await sameClientId().executeTakeFirst();
        if (existing) return reply.status(status).send((await loadMessageDto(k, existing.id))!);
        const channel = await k
          .selectFrom('channels')
          .select(['active', 'type'])
          .where('id', '=', conv.channel_id)
          .executeTakeFirstOrThrow();
        if (!b.private && channel.active !== 1)
          throw new AppError('conflict', 'This channel is deactivated; replies cannot be delivered');
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
        if (!b.private) await assertReplyWindow(ctx, conv, p, b.template ? 'template' : undefined);
        const body =
          b.text ??
          (b.template
            ? `[${b.template.name}] ${(b.template.bodyParameters ?? []).join(' · ')}`.trim()
            : null);
        const meta = {
          ...(b.template ? { template: b.template } : {}),
          ...(b.replyToMessageId ? { replyToMessageId: b.replyToMessageId } : {}),
        };
        const now = ctx.clock.now();
        const id = newId(now);
        try {
          const dto = await transact(ctx, async (uow) => {
            const files = b.attachments ?? [];
            const uploads = await claimUploads(
              uow.tx,
              p,
              files.flatMap((a) => ('uploadId' in a ? [a.uploadId] : [])),
              now,
            );
            // Private notes never reach the provider: they keep any file.
            if (!b.private)
              assertChannelCarries(
                ctx,
                channel.type,
                [...uploads.values()].map((u) => ({ name: u.name, mimeType: u.mime_type, size: u.size })),
              );
            const mimeOf = (a: (typeof files)[number]) =>
              'uploadId' in a ? uploads.get(a.uploadId)!.mime_type : a.mimeType;
            const firstFile = files[0];
            const kind = b.template
              ? 'template'
              : b.text !== undefined || !firstFile
                ? 'text'
                : kindOfMime(mimeOf(firstFile));
            await uow.tx
              .insertInto('messages')
              .values({
                id,
                account_id: p.accountId,
                conversation_id: conv.id,
                channel_id: conv.channel_id,
                direction: 'out',
                author_kind: 'user',
                author_id: p.userId,
                content_kind: kind,
                body,
                private: b.private ? 1 : 0,
                provider_message_id: null,
                client_message_id: b.clientMessageId,
                delivery_status: b.private ? null : 'queued',
                error_code: null,
                error_message: null,
                provider_ts: null,
                meta: JSON.stringify(meta),
                created_at: now,
                updated_at: now,
              })
              .execute();
            for (const a of files) {
              const u = 'uploadId' in a ? uploads.get(a.uploadId)! : undefined;
              await uow.tx
                .insertInto('attachments')
                .values({
                  id: newId(now),
                  account_id: p.accountId,
                  message_id: id,
                  kind: kindOfMime(mimeOf(a)),
                  // An upload's bytes are shared, not copied: the stored file is never changed or moved.
                  ...(u
                    ? {
                        name: u.name,
                        mime_type: u.mime_type,
                        size: u.size,
                        storage_key: u.storage_key,
                        sha256: u.sha256,
                        source_url: null,
                        download_status: 'stored',
                      }
                    : {
                        name: 'url' in a ? (a.name ?? null) : null,
                        mime_type: 'url' in a ? (a.mimeType ?? null) : null,
                        size: null,
                        storage_key: null,
                        source_url: 'url' in a ? a.url : null,
                      }),
                  created_at: now,
                })
                .execute();
            }
            await indexMessage(ctx, uow.tx, id);
            if (!b.private) {
              // One conversation's replies leave in the order they were written, even across retries.
              await uow.enqueue({
                type: SEND_JOB,
                payload: { messageId: id },
                accountId: p.accountId,
                orderKey: `out:${conv.id}`,
              });
              const firstResponse = conv.first_response_at === null;
              await uow.tx
                .updateTable('conversations')
                .set({
                  last_outbound_at: now,
                  last_activity_at: now,
                  last_message_preview: previewOf(body, kind),
                  ...(firstResponse
                    ? { first_response_at: now, first_response_ms: now - conv.created_at }
                    : {}),
                  updated_at: now,
                })
                .where('id', '=', conv.id)
                .execute();
              uow.emit(
                p.accountId,
                'conversation.updated',
                await loadConversationDto(uow.tx, conv.id, p.accountId),
                conv.team_id,
              );
            }
            const m = (await loadMessageDto(uow.tx, id))!;
            uow.emit(p.accountId, 'message.created', m, conv.team_id);
            return m;
          });
          return reply.status(status).send(dto);
        } catch (err) {
          // A concurrent double click with the same clientMessageId: answer with the one that won.
          if (!isUniqueViolation(err)) throw err;
          const won = await sameClientId().executeTakeFirstOrThrow();
          return reply.status(status).send((await loadMessageDto(k, won.id))!);
        }
      },
    );
  };
