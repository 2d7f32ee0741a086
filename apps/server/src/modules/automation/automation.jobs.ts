import type { JobHandler } from '../../worker/worker.ts';
import { RULE_EVENT_JOB, ruleEventJob } from './rule-event.job.ts';
import { RULE_TIMER_JOB, ruleTimerJob } from './rule-timers.ts';
import { RULE_WEBHOOK_JOB, ruleWebhookJob } from './rule-webhook.job.ts';

/** Jobs of automation rules: an event to run rules on, a time-based rule's timer, a rule's webhook. */
export const automationJobHandlers: Record<string, JobHandler> = {
  [RULE_EVENT_JOB]: ruleEventJob,
  [RULE_TIMER_JOB]: ruleTimerJob,
  [RULE_WEBHOOK_JOB]: ruleWebhookJob,
};
