import {
  CONVERSATION_MERGE_RULE,
  type ConversationDto,
  type ConversationMergePreview,
} from '@switchboard/shared';
import type { AppContext } from '../../../app-context.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row, RowUpdate } from '../../../infra/db/schema.ts';
import { conflict, DomainError } from '../../../lib/domain-error.ts';
import { parseAttributes } from '../../attributes/attribute-values.ts';
import { audit } from '../../audit/audit.service.ts';
import { endBotSession } from '../../bots/bot-session.ts';
import { emitConversationChanged } from '../../events/conversation-events.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { loadConversationDto } from '../conversation.dto.ts';
import { conversationMergedError, lockConversations } from './conversation-locks.ts';
import { announceMoved, combineReadMarkers, moveMessages } from './move-messages.ts';

export const CONVERSATION_MERGED_ACTION = 'conversation.merged';

export interface MoveActor {
  accountId: string;
  userId: string | null;
}

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** The pair, checked: different, neither merged away, of one contact. */
export async function lockMergePair(
  ctx: AppContext,
  tx: Tx,
  accountId: string,
  survivorId: string,
  otherId: string,
  lock = true,
): Promise<{ survivor: Row<'conversations'>; other: Row<'conversations'> }> {
  if (survivorId === otherId)
    throw new DomainError('validation_error', 'A conversation cannot be merged with itself');
  const [survivor, other] = (await lockConversations(ctx, tx, accountId, [survivorId, otherId], lock)) as [
    Row<'conversations'>,
    Row<'conversations'>,
  ];
  if (survivor.merged_into) throw conversationMergedError(survivor.merged_into);
  if (other.merged_into)
    throw conflict(`The other conversation was already merged into ${other.merged_into}`);
  if (survivor.contact_id !== other.contact_id)
    throw new DomainError(
      'not_same_contact',
      'Only conversations of the same contact can be merged; merge the contacts first',
    );
  return { survivor, other };
}

/** What the kept conversation ends with, by CONVERSATION_MERGE_RULE: the preview and the merge share it. */
export async function planConversationMerge(
  tx: Tx,
  survivor: Row<'conversations'>,
  other: Row<'conversations'>,
) {
  const labelRows = await tx
    .selectFrom('conversation_labels')
    .select(['conversation_id', 'label'])
    .where('conversation_id', 'in', [survivor.id, other.id])
    .execute();
  const labels = [...new Set(labelRows.map((l) => l.label))].sort();
  const addedLabels = labels.filter(
    (l) => !labelRows.some((r) => r.conversation_id === survivor.id && r.label === l),
  );
  const attributes: Record<string, unknown> = Object.assign(
    Object.create(null),
    parseAttributes(survivor.attributes),
  );
  for (const [key, value] of Object.entries(parseAttributes(other.attributes)))
    if (empty(attributes[key]) && !empty(value)) attributes[key] = value;
  // A customer still waiting in the other conversation must not disappear into a resolved one.
  const status =
    survivor.status === 'resolved' && other.status !== 'resolved' ? other.status : survivor.status;
  const result = {
    status: status as ConversationDto['status'],
    assigneeId: survivor.assignee_id ?? other.assignee_id,
    teamId: survivor.team_id ?? other.team_id,
    priority: (survivor.priority === 'none'
      ? other.priority
      : survivor.priority) as ConversationDto['priority'],
    labels,
    attributes: { ...attributes },
  };
  const messages = Number(
    (
      await tx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('conversation_id', '=', other.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { result, addedLabels, messages };
}

export async function previewConversationMerge(
  ctx: AppContext,
  accountId: string,
  readerId: string,
  survivorId: string,
  otherId: string,
): Promise<ConversationMergePreview> {
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const { survivor, other } = await lockMergePair(ctx, tx, accountId, survivorId, otherId, false);
    const plan = await planConversationMerge(tx, survivor, other);
    return {
      survivor: (await loadConversationDto(tx, survivor.id, accountId, readerId))!,
      other: (await loadConversationDto(tx, other.id, accountId, readerId))!,
      rule: CONVERSATION_MERGE_RULE,
      result: plan.result,
      moves: { messages: plan.messages },
    };
  });
}

/**
 * Merges `otherId` into `survivorId` in the caller's transaction: every message moves (with its id,
 * time, channel and author), labels are united and empty fields filled by CONVERSATION_MERGE_RULE, read
 * markers combined; the other is closed (resolved) as a pointer (`merged_into`), its running SLA clock
 * and open report cycle end without counting as a resolution (reports/rollup-writer.ts). Audited.
 */
export async function mergeConversations(
  ctx: AppContext,
  uow: UnitOfWork,
  who: MoveActor,
  survivorId: string,
  otherId: string,
  ip?: string,
): Promise<{ conversation: ConversationDto; moved: number }> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const { survivor, other } = await lockMergePair(ctx, tx, who.accountId, survivorId, otherId);
  const plan = await planConversationMerge(tx, survivor, other);
  const ids = (
    await tx
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', other.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((m) => m.id);
  await moveMessages(uow, who.accountId, ids, survivor);

  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  const newer = other.last_activity_at > survivor.last_activity_at ? other : survivor;
  const patch: RowUpdate<'conversations'> = {
    status: plan.result.status,
    assignee_id: plan.result.assigneeId,
    team_id: plan.result.teamId,
    priority: plan.result.priority,
    attributes: JSON.stringify(plan.result.attributes),
    last_inbound_at: max(survivor.last_inbound_at, other.last_inbound_at),
    last_outbound_at: max(survivor.last_outbound_at, other.last_outbound_at),
    last_activity_at: Math.max(survivor.last_activity_at, other.last_activity_at),
    last_message_preview: newer.last_message_preview ?? survivor.last_message_preview,
    first_response_at: survivor.first_response_at ?? other.first_response_at,
    first_response_ms: survivor.first_response_ms ?? other.first_response_ms,
    updated_at: now,
  };
  if (plan.result.status !== survivor.status) {
    patch.snoozed_until = plan.result.status === 'snoozed' ? other.snoozed_until : null;
    patch.resolved_at = null;
  }
  await tx.updateTable('conversations').set(patch).where('id', '=', survivor.id).execute();
  if (plan.addedLabels.length)
    await tx
      .insertInto('conversation_labels')
      .values(
        plan.addedLabels.map((label) => ({ conversation_id: survivor.id, account_id: who.accountId, label })),
      )
      .execute();
  await combineReadMarkers(tx, other.id, survivor.id, now, false);

  if (other.status === 'bot') await endBotSession(tx, other.id, 'operator', now);
  await tx
    .updateTable('conversations')
    .set({
      status: 'resolved',
      resolved_at: other.resolved_at ?? now,
      snoozed_until: null,
      merged_into: survivor.id,
      merged_at: now,
      updated_at: now,
    })
    .where('id', '=', other.id)
    .execute();
  // Conversations merged into the other earlier now point straight at the kept one.
  await tx
    .updateTable('conversations')
    .set({ merged_into: survivor.id, updated_at: now })
    .where('merged_into', '=', other.id)
    .where('account_id', '=', who.accountId)
    .execute();

  await audit(ctx, tx, who, {
    action: CONVERSATION_MERGED_ACTION,
    targetType: 'conversation',
    targetId: survivor.id,
    details: { mergedId: other.id, moved: ids.length, addedLabels: plan.addedLabels },
    ip,
  });
  // Only `updated` (with `mergedIntoId`): a merge is no resolution, so no survey goes out and no rule
  // on `conversation.resolved` fires.
  const otherDto = (await loadConversationDto(tx, other.id, who.accountId))!;
  uow.emit(who.accountId, 'conversation.updated', otherDto, otherDto.teamId);
  const dto = (await loadConversationDto(tx, survivor.id, who.accountId))!;
  emitConversationChanged(uow, who.accountId, survivor, dto);
  await announceMoved(uow, who.accountId, ids, dto.teamId);
  return { conversation: dto, moved: ids.length };
}
