import type { JobDefinition } from '../../worker/define-job.ts';
import { drainJob, noReplyJob, offlineJob, snoozeJob } from './assignment/assignment.jobs.ts';
import { noAnswerJob } from './automatic-messages/no-answer.job.ts';

/** Routing's jobs (payloads in routing-job-types.ts); every one re-checks state when it runs. */
export const routingJobs: JobDefinition[] = [drainJob, offlineJob, noReplyJob, noAnswerJob, snoozeJob];
