import type { JobHandler } from '../../worker/worker.ts';
import { RULE_TIMER_JOB, ruleTimerJob } from './rule-timers.ts';
import { RULE_WEBHOOK_JOB, ruleWebhookJob } from './rule-webhook.job.ts';

/** Jobs of automation rules (the rules listener's own job comes from the event listener registry). */
export const automationJobHandlers: Record<string, JobHandler> = {
  [RULE_TIMER_JOB]: ruleTimerJob,
  [RULE_WEBHOOK_JOB]: ruleWebhookJob,
};
