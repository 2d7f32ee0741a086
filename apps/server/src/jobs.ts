import { botTimeoutJob } from './modules/bots/bot-timeout.job.ts';
import { automationJobHandlers } from './modules/automation/automation.jobs.ts';
import { csatSurveyJob } from './modules/csat/csat-survey.job.ts';
import { broadcastJob } from './modules/broadcasts/broadcast.job.ts';
import { contactImportJob } from './modules/contact-import/import.job.ts';
import { contactProfileJob } from './modules/contacts/contact-profile.job.ts';
import { EVENT_LISTENER_JOB, eventListenerJob } from './modules/events/event-listener.job.ts';
import { exportJob } from './modules/export/export.job.ts';
import { processInboundJob } from './modules/inbound/process-inbound.job.ts';
import { mediaDownloadJob } from './modules/media/media-download.job.ts';
import { sendMessageJob } from './modules/messages/send-message.job.ts';
import { deleteFilesJob } from './modules/privacy/delete-files.job.ts';
import { retentionJob } from './modules/retention/retention.job.ts';
import { routingJobs } from './modules/routing/routing.jobs.ts';
import { WEBHOOK_DELIVER_JOB, deliverWebhookJob } from './modules/webhooks/deliver-webhook.job.ts';
import { slaBreachJob } from './modules/sla/sla-breach.job.ts';
import { jobTable } from './worker/define-job.ts';
import type { JobHandler } from './worker/worker.ts';

/** Every job type the worker runs (each defined with defineJob: its name, payload schema and handler). */
export const jobHandlers: Record<string, JobHandler> = {
  ...jobTable([
    processInboundJob,
    sendMessageJob,
    exportJob,
    broadcastJob,
    mediaDownloadJob,
    retentionJob,
    deleteFilesJob,
    contactProfileJob,
    contactImportJob,
    ...routingJobs,
    csatSurveyJob,
    slaBreachJob,
    botTimeoutJob,
  ]),
  // Not yet defineJob definitions; their handlers parse their payloads with zod themselves.
  [EVENT_LISTENER_JOB]: eventListenerJob,
  [WEBHOOK_DELIVER_JOB]: deliverWebhookJob,
  ...automationJobHandlers,
};
