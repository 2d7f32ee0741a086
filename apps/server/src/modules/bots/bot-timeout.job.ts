import { z } from 'zod';
import { defineJob } from '../../worker/define-job.ts';
import { transact } from '../events/unit-of-work.ts';
import { heldBy } from './bot-session.ts';
import { handOff } from './handoff.service.ts';

export const BOT_TIMEOUT_JOB = 'bot.reply-timeout';

/**
 * Written with each customer message a bot holds, due after the bot's reply timeout: if the bot has
 * written nothing to the customer since that message, the conversation goes to people. A durable job,
 * not a timer, so a restart or a dead bot still never strands a customer.
 */
export const botTimeoutJob = defineJob(
  BOT_TIMEOUT_JOB,
  z.object({ conversationId: z.string(), botId: z.string(), messageId: z.string() }),
  async (ctx, payload) => {
    await transact(ctx, async (uow) => {
      const bot = await heldBy(uow.tx, payload.conversationId);
      if (bot?.id !== payload.botId) return;
      const answered = await uow.tx
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', payload.conversationId)
        .where('author_kind', '=', 'bot')
        .where('private', '=', 0)
        .where('id', '>', payload.messageId)
        .limit(1)
        .executeTakeFirst();
      if (answered) return;
      const conv = await uow.tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', payload.conversationId)
        .executeTakeFirstOrThrow();
      await handOff(ctx, uow, conv, { reason: 'timeout', author: { kind: 'bot', id: bot.id } });
    });
  },
);
