import type { AppContext } from '../../app-context.ts';

/** True when an operator (this one, if given) wrote to the customer in the conversation since `since`. */
export async function repliedSince(
  ctx: AppContext,
  conversationId: string,
  since: number,
  authorId?: string,
): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('author_kind', '=', 'user')
    .where('direction', '=', 'out')
    .where('private', '=', 0)
    .where('created_at', '>=', since)
    .$if(authorId !== undefined, (q) => q.where('author_id', '=', authorId!))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
