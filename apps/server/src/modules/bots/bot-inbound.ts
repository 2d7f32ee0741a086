import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { botTimeoutJob } from './bot-timeout.job.ts';
import { heldBy } from './bot-session.ts';
import { handOff } from './handoff.service.ts';
import { runMenu } from './menu-bot.ts';

export interface BotInbound {
  conversation: Row<'conversations'>;
  conversationCreated: boolean;
  messageId: string;
  text: string | null;
  meta?: Record<string, unknown>;
}

/** The customer's message is one of the bot's hand-off words (case and surrounding punctuation aside). */
export function asksForPeople(text: string | null, keywords: string[]): boolean {
  if (!text) return false;
  const said = text
    .trim()
    .toLocaleLowerCase()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '');
  return keywords.some((k) => k.trim().toLocaleLowerCase() === said);
}

/**
 * After a customer's message is stored in a conversation a bot holds: a hand-off word gives it to
 * people; otherwise the menu bot answers at once, and an agent bot gets until its reply timeout.
 * True when the bot still holds the conversation (routing then leaves it alone).
 */
export async function botOnInbound(ctx: AppContext, uow: UnitOfWork, e: BotInbound): Promise<boolean> {
  const bot = await heldBy(uow.tx, e.conversation.id);
  if (!bot) return false;
  const keywords = JSON.parse(bot.handoff_keywords) as string[];
  const conv = { ...e.conversation, status: 'bot' };
  if (asksForPeople(e.text, keywords)) {
    await handOff(ctx, uow, conv, { reason: 'keyword', author: { kind: 'bot', id: bot.id } });
    return false;
  }
  if (bot.kind === 'menu') return runMenu(ctx, uow, bot, conv, e);
  await uow.enqueue(
    botTimeoutJob.input(
      { conversationId: conv.id, botId: bot.id, messageId: e.messageId },
      {
        accountId: conv.account_id,
        runAt: ctx.clock.now() + bot.reply_timeout_s * 1000,
      },
    ),
  );
  return true;
}
