import type { Availability } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { autoAssign, recordAssignmentChange } from './assignment/assignment.service.ts';
import { sendAutomatic } from './automatic-messages/automatic-messages.service.ts';
import { centerState } from './schedules/center.service.ts';
import { ROUTING_JOBS } from './routing-job-types.ts';
import {
  accountAutoAssigns,
  loadChannelRouting,
  loadChannelRoutingById,
} from './settings/routing-settings.ts';

/**
 * The calls other modules make into routing, each inside their own transaction. With a channel's
 * default settings (manual assignment, no automatic messages) they write nothing.
 */

export interface InboundStored {
  channel: Row<'channels'>;
  conversationId: string;
  conversationCreated: boolean;
  /** The customer's message just stored. */
  messageId: string;
}

/** After a customer's message is stored: auto-assignment, greeting or offline reply, no-answer timer. */
export async function onInboundMessage(ctx: AppContext, uow: UnitOfWork, e: InboundStored): Promise<void> {
  const tx = uow.tx;
  const routing = await loadChannelRouting(tx, e.channel);
  const { assignment, automaticMessages: auto } = routing.settings;
  const conv = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', e.conversationId)
    .executeTakeFirstOrThrow();
  if (assignment.mode !== 'manual' && conv.assignee_id === null && conv.status === 'open') {
    await autoAssign(ctx, uow, conv.id, { reason: 'auto' });
  }
  if ((auto.greeting.enabled && e.conversationCreated) || auto.offline.enabled) {
    const center = await centerState(tx, routing, ctx.clock.now());
    if (center.online && e.conversationCreated)
      await sendAutomatic(ctx, uow, conv, routing, 'greeting', center);
    else if (!center.online) await sendAutomatic(ctx, uow, conv, routing, 'offline', center);
  }
  if (auto.noAnswer.enabled && (await startsWaiting(tx, conv.id, e.messageId))) {
    const now = ctx.clock.now();
    await uow.enqueue({
      type: ROUTING_JOBS.noAnswer,
      payload: { conversationId: conv.id, since: now },
      accountId: conv.account_id,
      runAt: now + auto.noAnswer.afterMinutes * 60_000,
    });
  }
}

/** True when this message opens a wait: the conversation is new or an operator had the last word. */
async function startsWaiting(tx: Tx, conversationId: string, messageId: string): Promise<boolean> {
  const prev = await tx
    .selectFrom('messages')
    .select('author_kind')
    .where('conversation_id', '=', conversationId)
    .where('id', '!=', messageId)
    .where('private', '=', 0)
    .where('author_kind', 'in', ['contact', 'user'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return !prev || prev.author_kind === 'user';
}

/** An operator's presence changed: coming online drains the queue, going offline hands work on. */
export async function onAvailabilityChanged(
  _ctx: AppContext,
  uow: UnitOfWork,
  accountId: string,
  userId: string,
  availability: Availability,
): Promise<void> {
  if (!(await accountAutoAssigns(uow.tx, accountId))) return;
  if (availability === 'online') {
    await uow.enqueue({ type: ROUTING_JOBS.drain, payload: { accountId }, accountId });
  } else if (availability === 'offline') {
    await uow.enqueue({ type: ROUTING_JOBS.offline, payload: { accountId, userId }, accountId });
  }
}

/**
 * After a conversation was changed by a person (PATCH): records a manual assignment change, arms the
 * snooze wake-up, and drains the queue when capacity was freed or the conversation went back to it.
 */
export async function onConversationPatched(
  ctx: AppContext,
  uow: UnitOfWork,
  before: Row<'conversations'>,
  actorId: string,
  opts: { systemLine?: boolean } = {},
): Promise<void> {
  const tx = uow.tx;
  const after = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', before.id)
    .executeTakeFirstOrThrow();
  if (after.assignee_id !== before.assignee_id) {
    const routing = await loadChannelRoutingById(tx, after.channel_id);
    await recordAssignmentChange(
      ctx,
      uow,
      after,
      before.assignee_id,
      after.assignee_id,
      'manual',
      actorId,
      routing,
      opts,
    );
  }
  if (
    after.status === 'snoozed' &&
    after.snoozed_until !== null &&
    (before.status !== 'snoozed' || before.snoozed_until !== after.snoozed_until)
  ) {
    await uow.enqueue({
      type: ROUTING_JOBS.snooze,
      payload: { conversationId: after.id, until: after.snoozed_until },
      accountId: after.account_id,
      runAt: after.snoozed_until,
    });
  }
  const freed =
    before.assignee_id !== null &&
    before.status === 'open' &&
    (after.assignee_id !== before.assignee_id || after.status !== 'open');
  const queued =
    after.assignee_id === null &&
    after.status === 'open' &&
    (before.assignee_id !== null || before.status !== 'open');
  if ((freed || queued) && (await accountAutoAssigns(tx, after.account_id))) {
    await uow.enqueue({
      type: ROUTING_JOBS.drain,
      payload: { accountId: after.account_id },
      accountId: after.account_id,
    });
  }
}
