import type { ActionResult, AutomationAction } from '@switchboard/shared';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { emitConversationChanged } from '../events/conversation-events.ts';
import { loadMessageDto } from '../messages/message.dto.ts';
import { onConversationPatched } from '../routing/routing.hooks.ts';
import { type ActionContext, result } from './action-context.ts';
import { runConversationAction } from './conversation-actions.ts';
import { runMessageAction } from './message-actions.ts';
import { RULE_WEBHOOK_JOB, type RuleWebhookPayload } from './rule-webhook.job.ts';

async function runOne(a: ActionContext, action: AutomationAction, index: number): Promise<ActionResult> {
  switch (action.type) {
    case 'send_message':
    case 'send_template':
    case 'add_note':
      return runMessageAction(a, action);
    case 'send_webhook':
      return queueWebhook(a, action.url, index);
    default:
      return runConversationAction(a, action);
  }
}

/** The delivery is a job of this transaction: it leaves only if the rule's run commits. */
async function queueWebhook(a: ActionContext, url: string, index: number): Promise<ActionResult> {
  const { uow, conv, rule } = a;
  const deliveryId = `${rule.id}:${a.triggerKey}:${index}`;
  const body = JSON.stringify({
    event: a.event,
    deliveryId,
    rule: { id: rule.id, name: rule.name },
    conversation: await loadConversationDto(uow.tx, conv.id, conv.account_id),
    message: a.messageId ? await loadMessageDto(uow.tx, a.messageId) : null,
    createdAt: a.ctx.clock.now(),
  });
  const payload: RuleWebhookPayload = {
    accountId: conv.account_id,
    ruleId: rule.id,
    url,
    deliveryId,
    event: a.event,
    body,
  };
  await uow.enqueue({ type: RULE_WEBHOOK_JOB, payload, accountId: conv.account_id });
  return result('send_webhook', 'done', deliveryId);
}

/**
 * Runs a rule's actions in order inside its transaction, each on the conversation as the previous one
 * left it, then announces the change once (both teams on a transfer) and lets routing react as to a
 * person's change (snooze wake-up, queue drain).
 */
export async function runActions(
  a: ActionContext,
  actions: readonly AutomationAction[],
): Promise<ActionResult[]> {
  const before = a.conv;
  const results: ActionResult[] = [];
  for (const [i, action] of actions.entries()) {
    a.conv = await a.uow.tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    results.push(await runOne(a, action, i));
  }
  if (a.changed.conversation) {
    const dto = (await loadConversationDto(a.uow.tx, before.id, before.account_id))!;
    emitConversationChanged(a.uow, before.account_id, before, dto);
    // Assignment actions recorded their own change; routing only needs the status side here.
    await onConversationPatched(
      a.ctx,
      a.uow,
      { ...before, assignee_id: dto.assigneeId },
      `rule:${a.rule.id}`,
    );
  }
  return results;
}
