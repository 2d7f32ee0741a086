import type { ConversationCsat } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';

/** The conversation's rating: its latest answered survey (one per resolution), with the comment. */
export async function conversationCsat(k: Tx, conversationId: string): Promise<ConversationCsat | null> {
  const s = await k
    .selectFrom('csat_surveys')
    .select(['rating', 'comment', 'rated_at'])
    .where('conversation_id', '=', conversationId)
    .where('rating', 'is not', null)
    .orderBy('rated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return s ? { rating: s.rating!, comment: s.comment, ratedAt: s.rated_at! } : null;
}
