import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ThreadHint } from '../channels/channel-adapter.ts';
import { normaliseSubject } from '../channels/email/email-address.ts';

const DAY_MS = 86_400_000;

/**
 * The conversation a mail belongs to (RFC 5322 threading), in order: one holding a message it answers
 * (In-Reply-To / References against every stored id of the account's channels of this type: inbound ids
 * and the ones we generated), one named by a token (plus address, our Message-ID format), the newest with
 * the same normalised subject within `subjectDays`. Only conversations of the same customer count: a
 * stranger quoting an id or a plus address does not join someone else's conversation. Undefined: a new one.
 */
export async function threadedConversation(
  ctx: AppContext,
  tx: Tx,
  channel: Row<'channels'>,
  contactId: string,
  hint: ThreadHint,
): Promise<Row<'conversations'> | undefined> {
  const mine = () =>
    tx
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('account_id', '=', channel.account_id);
  if (hint.messageIds.length > 0) {
    const siblings = tx
      .selectFrom('channels')
      .select('id')
      .where('account_id', '=', channel.account_id)
      .where('type', '=', channel.type);
    const hits = await tx
      .selectFrom('messages')
      .select(['conversation_id', 'provider_message_id'])
      .where('channel_id', 'in', siblings)
      .where('provider_message_id', 'in', hint.messageIds)
      .execute();
    // The id named first (In-Reply-To) wins over older References.
    for (const id of hint.messageIds) {
      const hit = hits.find((h) => h.provider_message_id === id);
      if (!hit) continue;
      const conv = await mine().where('id', '=', hit.conversation_id).executeTakeFirst();
      if (conv) return conv;
    }
  }
  if (hint.conversationIds.length > 0) {
    const conv = await mine()
      .where('id', 'in', hint.conversationIds)
      .where('channel_id', '=', channel.id)
      .orderBy('last_activity_at', 'desc')
      .executeTakeFirst();
    if (conv) return conv;
  }
  const subject = normaliseSubject(hint.subject);
  if (!subject || hint.subjectDays <= 0) return undefined;
  const recent = await mine()
    .where('channel_id', '=', channel.id)
    .where('last_activity_at', '>=', ctx.clock.now() - hint.subjectDays * DAY_MS)
    .orderBy('last_activity_at', 'desc')
    .limit(20)
    .execute();
  if (recent.length === 0) return undefined;
  const metas = await tx
    .selectFrom('messages')
    .select(['conversation_id', 'meta'])
    .where(
      'conversation_id',
      'in',
      recent.map((c) => c.id),
    )
    .where('private', '=', 0)
    .orderBy('created_at', 'desc')
    .limit(400)
    .execute();
  const same = new Set(
    metas
      .filter((m) => {
        const email = (JSON.parse(m.meta) as { email?: { subject?: unknown } }).email;
        return typeof email?.subject === 'string' && normaliseSubject(email.subject) === subject;
      })
      .map((m) => m.conversation_id),
  );
  return recent.find((c) => same.has(c.id));
}
