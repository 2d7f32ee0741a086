import type { ReplyChannel } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { conversationWindow } from '../routing/window/window-policy.ts';
import { visibleTeamIds } from './conversation-access.ts';
import { loadConversationDto } from './conversation.dto.ts';
import { newConversationRow } from './new-conversation.ts';

/**
 * Where a reply on one of the customer's channels lands: their open conversation there, or a new one
 * (`isNew`, written with the reply). A new one carries the last conversation's `last_inbound_at`, because
 * the provider's window is the customer's on that channel, not a conversation's; `refusalOn` is an
 * existing conversation a window refusal is recorded on.
 */
export interface ReplyTarget {
  conversation: Row<'conversations'>;
  channel: Row<'channels'>;
  isNew: boolean;
  refusalOn: string;
}

async function targetOn(
  ctx: AppContext,
  p: Principal,
  here: Row<'conversations'>,
  channel: Row<'channels'>,
  teams: string[] | undefined,
): Promise<ReplyTarget | undefined> {
  if (p.bot && !p.bot.channelIds.includes(channel.id)) return undefined;
  const newest = await ctx.db.kysely
    .selectFrom('conversations')
    .selectAll()
    .where('contact_id', '=', here.contact_id)
    .where('channel_id', '=', channel.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const sees = (teamId: string | null) => !teams || teamId === null || teams.includes(teamId);
  if (newest && newest.status !== 'resolved')
    return sees(newest.team_id)
      ? { conversation: newest, channel, isNew: false, refusalOn: newest.id }
      : undefined;
  if (!sees(channel.team_id)) return undefined;
  const fresh = newConversationRow(channel, here.contact_id, ctx.clock.now(), 'open');
  fresh.last_inbound_at = newest?.last_inbound_at ?? null;
  return { conversation: fresh, channel, isNew: true, refusalOn: newest?.id ?? here.id };
}

function customerChannels(k: Tx, here: Row<'conversations'>) {
  return k
    .selectFrom('channels as ch')
    .selectAll('ch')
    .where('ch.account_id', '=', here.account_id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('contact_identities as i')
          .select('i.id')
          .whereRef('i.channel_id', '=', 'ch.id')
          .where('i.contact_id', '=', here.contact_id),
      ),
    );
}

/** The customer's channels this principal may answer on, each with the window a reply there meets. */
export async function replyChannels(
  ctx: AppContext,
  p: Principal,
  here: Row<'conversations'>,
): Promise<ReplyChannel[]> {
  const k = ctx.db.kysely;
  const teams = await visibleTeamIds(ctx, p);
  const channels = await customerChannels(k, here).orderBy('ch.name').orderBy('ch.id').execute();
  const now = ctx.clock.now();
  const out: ReplyChannel[] = [];
  for (const channel of channels) {
    const target =
      channel.id === here.channel_id
        ? { conversation: here, isNew: false }
        : await targetOn(ctx, p, here, channel, teams);
    if (!target) continue;
    out.push({
      channel: { id: channel.id, type: channel.type, name: channel.name },
      current: channel.id === here.channel_id,
      active: channel.active === 1,
      conversationId: target.isNew ? null : target.conversation.id,
      window: { ...(await conversationWindow(k, target.conversation, now)), now },
    });
  }
  // The conversation's own channel first, as the composer offers it by default.
  return out.sort((a, b) => Number(b.current) - Number(a.current));
}

/** The conversation a reply on `channelId` goes to; refused when the customer cannot be reached there. */
export async function replyTarget(
  ctx: AppContext,
  p: Principal,
  here: Row<'conversations'>,
  channelId: string,
): Promise<ReplyTarget> {
  const channel = await customerChannels(ctx.db.kysely, here)
    .where('ch.id', '=', channelId)
    .executeTakeFirst();
  if (!channel)
    throw new DomainError('validation_error', 'channelId: this customer has no address on that channel');
  const target = await targetOn(ctx, p, here, channel, await visibleTeamIds(ctx, p));
  if (!target)
    throw new DomainError(
      'forbidden',
      "channelId: the customer's conversation on that channel belongs to a team you are not in",
    );
  return target;
}

/** Writes a new target conversation in the reply's transaction and tells the consoles about it. */
export async function openReplyTarget(uow: UnitOfWork, target: ReplyTarget): Promise<void> {
  if (!target.isNew) return;
  const conv = target.conversation;
  await uow.tx.insertInto('conversations').values(conv).execute();
  const dto = (await loadConversationDto(uow.tx, conv.id, conv.account_id))!;
  uow.emit(conv.account_id, 'conversation.created', dto, conv.team_id);
}
