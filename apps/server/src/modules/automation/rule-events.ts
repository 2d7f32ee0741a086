import { type AutomationEvent, isEvent } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Cause } from './automation-cause.ts';
import { runRules } from './rule-runner.ts';
import { armForConversation, armForMessage } from './rule-timers.ts';

/** The account events the rules listen to (the time-based ones are armed from them). */
export const RULE_SOURCE_EVENTS = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'sla.breached',
] as const;

export interface SourceEvent {
  id: string;
  accountId: string;
  type: string;
  payload: unknown;
  createdAt: number;
}

interface MessagePayload {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  private: boolean;
  createdAt: number;
}

interface ConversationPayload {
  id: string;
  status: string;
  updatedAt: number;
}

/**
 * One account event, once (the listener's job): arms the time-based rules it starts or stops, then runs
 * the rules of that event. `event.id` is the trigger key, so a replayed job does nothing twice.
 */
export async function handleRuleEvent(ctx: AppContext, e: SourceEvent, cause: Cause): Promise<void> {
  let conversationId: string;
  let messageId: string | null = null;
  if (e.type === 'message.created') {
    const m = e.payload as MessagePayload;
    conversationId = m.conversationId;
    messageId = m.id;
    await armForMessage(ctx, e.accountId, m);
  } else if (e.type.startsWith('conversation.')) {
    const c = e.payload as ConversationPayload;
    conversationId = c.id;
    // Resolved and reopened are also sent as updated: the timers are armed from that one.
    if (e.type !== 'conversation.resolved' && e.type !== 'conversation.reopened')
      await armForConversation(ctx, e.accountId, c.id, c.status, e.createdAt);
  } else if (isEvent(e, 'sla.breached')) {
    conversationId = e.payload.conversationId;
  } else return;
  await runRules(ctx, {
    accountId: e.accountId,
    event: e.type as AutomationEvent,
    conversationId,
    messageId,
    key: `event:${e.id}`,
    cause,
  });
}
