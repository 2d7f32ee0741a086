import type { BotHandoffReason } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import type { Row } from '../../infra/db/schema.ts';

/** The active bot that takes new conversations on this channel, if any (a channel has at most one). */
export async function botOfChannel(tx: Tx, channel: Pick<Row<'channels'>, 'id' | 'account_id'>) {
  const bots = await tx
    .selectFrom('bots')
    .selectAll()
    .where('account_id', '=', channel.account_id)
    .where('active', '=', 1)
    .orderBy('created_at')
    .execute();
  return bots.find((b) => (JSON.parse(b.channel_ids) as string[]).includes(channel.id));
}

/**
 * A new conversation given to the channel's bot: status `bot` and its session, before anyone hears of
 * the conversation (so its `conversation.created` already says `bot`). Mutates `conv.status` to match.
 */
export async function openBotSession(
  tx: Tx,
  channel: Pick<Row<'channels'>, 'id' | 'account_id'>,
  conv: Row<'conversations'>,
  now: number,
): Promise<boolean> {
  const bot = await botOfChannel(tx, channel);
  if (!bot) return false;
  await tx.updateTable('conversations').set({ status: 'bot' }).where('id', '=', conv.id).execute();
  await tx
    .insertInto('bot_sessions')
    .values({
      conversation_id: conv.id,
      account_id: conv.account_id,
      bot_id: bot.id,
      started_at: now,
      ended_at: null,
      end_reason: null,
    })
    .execute();
  conv.status = 'bot';
  return true;
}

/** The bot holding a conversation right now: its session is open and the conversation is still in `bot`. */
export async function heldBy(tx: Tx, conversationId: string) {
  return tx
    .selectFrom('bot_sessions as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .innerJoin('bots as b', 'b.id', 's.bot_id')
    .selectAll('b')
    .select(['s.started_at'])
    .where('s.conversation_id', '=', conversationId)
    .where('s.ended_at', 'is', null)
    .where('c.status', '=', 'bot')
    .executeTakeFirst();
}

/** Closes the conversation's open session; false when there was none. */
export async function endBotSession(
  tx: Tx,
  conversationId: string,
  reason: BotHandoffReason,
  now: number,
): Promise<boolean> {
  const r = await tx
    .updateTable('bot_sessions')
    .set({ ended_at: now, end_reason: reason })
    .where('conversation_id', '=', conversationId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A bot may write to the customer only in a conversation it holds (after a hand-off, people answer). */
export async function assertBotHolds(ctx: AppContext, botId: string, conversationId: string): Promise<void> {
  const bot = await heldBy(ctx.db.kysely, conversationId);
  if (bot?.id !== botId)
    throw new DomainError('conflict', 'This conversation is not with this bot (it was handed to people)');
}
