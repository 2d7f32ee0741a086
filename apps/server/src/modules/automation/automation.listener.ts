import type { InTransactionListener } from '../events/event-listeners.ts';
import { enqueueRuleEvent } from './rule-event.job.ts';
import { RULE_SOURCE_EVENTS } from './rule-events.ts';

/**
 * Automation rules as a listener. It runs in the transaction of the event, so the rule job it writes
 * commits with the event (durable: a crash never loses a rule's run, and the job's log row keeps it
 * from running twice). In-transaction rather than a plain job listener for two reasons: it writes a job
 * only when the account has a rule the event can start (one indexed lookup), and it copies the chain of
 * rules whose actions emitted the event into the job — the loop guard.
 */
export const automationListener: InTransactionListener = {
  name: 'automation.rules',
  mode: 'in-transaction',
  events: RULE_SOURCE_EVENTS,
  handle: (_ctx, uow, event) => enqueueRuleEvent(uow, event),
};
