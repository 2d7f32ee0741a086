import {
  conversationMergeBody,
  conversationMergePreviewQuery,
  conversationMergePreviewSchema,
  conversationMergeResultSchema,
  conversationSplitBody,
  conversationSplitResultSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { transact } from '../../events/unit-of-work.ts';
import { loadVisibleConversation } from '../conversation-access.ts';
import { mergeConversations, previewConversationMerge } from './conversation-merge.service.ts';
import { splitConversation } from './conversation-split.service.ts';

/**
 * Merge two conversations of one contact, or split messages off into a new one. Whoever may see both
 * conversations may do it (conversation-access.ts); anything else answers 404, as a read would.
 */
export const conversationMergeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/conversations/:id/merge-preview',
      {
        schema: {
          tags: ['conversations'],
          summary: 'What merging `otherConversationId` into this conversation would do (nothing changes)',
          params: idParams,
          querystring: conversationMergePreviewQuery,
          response: { 200: conversationMergePreviewSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await loadVisibleConversation(ctx, p, req.params.id);
        await loadVisibleConversation(ctx, p, req.query.otherConversationId);
        return previewConversationMerge(
          ctx,
          p.accountId,
          p.userId,
          req.params.id,
          req.query.otherConversationId,
        );
      },
    );

    app.post(
      '/conversations/:id/merge',
      {
        schema: {
          tags: ['conversations'],
          summary:
            'Merge `otherConversationId` (same contact) into this conversation: every message moves here with its time and channel; the other is closed and its id then answers 301 to this one',
          params: idParams,
          body: conversationMergeBody,
          response: { 200: conversationMergeResultSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await loadVisibleConversation(ctx, p, req.params.id);
        await loadVisibleConversation(ctx, p, req.body.otherConversationId);
        const r = await transact(ctx, (uow) =>
          mergeConversations(ctx, uow, p, req.params.id, req.body.otherConversationId, req.ip),
        );
        return { conversation: r.conversation, mergedId: req.body.otherConversationId, moved: r.moved };
      },
    );

    app.post(
      '/conversations/:id/split',
      {
        schema: {
          tags: ['conversations'],
          summary:
            'Move the selected messages into a new conversation of the same contact (they keep their time and channel); returns the new conversation',
          params: idParams,
          body: conversationSplitBody,
          response: { 200: conversationSplitResultSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await loadVisibleConversation(ctx, p, req.params.id);
        return transact(ctx, (uow) =>
          splitConversation(ctx, uow, p, req.params.id, req.body.messageIds, req.ip),
        );
      },
    );
  };
