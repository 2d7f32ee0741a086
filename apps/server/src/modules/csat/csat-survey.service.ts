import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { loadChannelRoutingById } from '../routing/settings/routing-settings.ts';
import { conversationWindow, recordRefusal, sendAllowed } from '../routing/window/window-policy.ts';
import { RATING_BUTTONS } from './csat-answer.ts';
import { loadCsatSettings } from './csat-settings.ts';

export interface ResolvedConversation {
  conversationId: string;
  resolvedAt: number;
  /** Who the resolution is credited to (docs/metrics.md): the assignee and team at that moment. */
  assigneeId: string | null;
  teamId: string | null;
}

export type SurveyOutcome = 'disabled' | 'stale' | 'duplicate' | 'skipped' | 'sent';

/**
 * Sends the channel's survey after a resolution, through the one outbound path (stored, queued, shown
 * in the conversation as an automatic message), so the messaging window and opt-outs apply as to any
 * automatic message. One survey per resolution: the row is keyed on it, a job run twice sends once.
 * A survey that may not be sent is recorded as skipped with the window's reason.
 */
export async function sendSurvey(
  ctx: AppContext,
  uow: UnitOfWork,
  r: ResolvedConversation,
): Promise<SurveyOutcome> {
  const tx = uow.tx;
  const conv = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', r.conversationId)
    .executeTakeFirst();
  // Reopened (or resolved again) before the survey left: that resolution no longer stands.
  if (conv?.status !== 'resolved' || conv.resolved_at !== r.resolvedAt) return 'stale';
  const settings = await loadCsatSettings(tx, conv.channel_id);
  if (!settings.enabled) return 'disabled';
  const routing = await loadChannelRoutingById(tx, conv.channel_id);
  const now = ctx.clock.now();
  const id = newId(now);
  const claimed = await tx
    .insertInto('csat_surveys')
    .values({
      id,
      account_id: conv.account_id,
      conversation_id: conv.id,
      channel_id: conv.channel_id,
      contact_id: conv.contact_id,
      resolved_at: r.resolvedAt,
      team_id: r.teamId,
      user_id: r.assigneeId,
      status: 'sent',
      skip_reason: null,
      message_id: null,
      sent_at: now,
      expires_at: now + settings.windowHours * 3_600_000,
      rating: null,
      comment: null,
      rated_at: null,
      commented_at: null,
    })
    .onConflict((oc) => oc.columns(['conversation_id', 'resolved_at']).doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return 'duplicate';

  let skip: string | null = routing.channelActive ? null : 'channel_inactive';
  if (!skip) {
    const window = await conversationWindow(tx, conv, now);
    if (!sendAllowed(window, 'automatic')) {
      await recordRefusal(ctx, tx, conv, 'automatic', null, window);
      skip = window.reason;
    }
  }
  if (skip) {
    await tx
      .updateTable('csat_surveys')
      .set({ status: 'skipped', skip_reason: skip, expires_at: now })
      .where('id', '=', id)
      .execute();
    ctx.log.info({ conversationId: conv.id, reason: skip }, 'CSAT survey skipped');
    return 'skipped';
  }
  const msg = await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'system',
    authorId: null,
    contentKind: 'text',
    body: settings.question[routing.settings.language],
    // Buttons where the channel has them (Telegram, WhatsApp, the widget's stars); elsewhere the text
    // alone, which asks for a digit (no numbered list: 1–5 already are the answers).
    meta: { automatic: 'csat', csatSurveyId: id, buttons: RATING_BUTTONS, buttonsFallback: 'none' },
    isReply: false,
  });
  await tx.updateTable('csat_surveys').set({ message_id: msg.id }).where('id', '=', id).execute();
  return 'sent';
}
