import { INBOUND_JOB, processInboundJob } from './modules/inbound/process-inbound.job.ts';
import { mediaDownloadJob } from './modules/media/media-download.job.ts';
import { MEDIA_DOWNLOAD_JOB } from './modules/media/media-intake.ts';
import { SEND_JOB, sendMessageJob } from './modules/messages/send-message.job.ts';
import { routingJobHandlers } from './modules/routing/routing.jobs.ts';
import type { JobHandler } from './worker/worker.ts';
import { automationJobHandlers } from './modules/automation/automation.jobs.ts';
import { EXPORT_JOB, exportJob } from './modules/export/export.job.ts';
import { BROADCAST_JOB, broadcastJob } from './modules/broadcasts/broadcast.job.ts';
import { RETENTION_JOB, retentionJob } from './modules/retention/retention.job.ts';
import { DELETE_FILES_JOB, deleteFilesJob } from './modules/privacy/delete-files.job.ts';
import { CONTACT_PROFILE_JOB, contactProfileJob } from './modules/contacts/contact-profile.job.ts';
import { EVENT_LISTENER_JOB, eventListenerJob } from './modules/events/event-listener.job.ts';
import { WEBHOOK_DELIVER_JOB, deliverWebhookJob } from './modules/webhooks/deliver-webhook.job.ts';

/** Every job type the worker runs. */
export const jobHandlers: Record<string, JobHandler> = {
  [INBOUND_JOB]: processInboundJob,
  [SEND_JOB]: sendMessageJob,
  [EXPORT_JOB]: exportJob,
  [BROADCAST_JOB]: broadcastJob,
  [MEDIA_DOWNLOAD_JOB]: mediaDownloadJob,
  [RETENTION_JOB]: retentionJob,
  [DELETE_FILES_JOB]: deleteFilesJob,
  [CONTACT_PROFILE_JOB]: contactProfileJob,
  [EVENT_LISTENER_JOB]: eventListenerJob,
  [WEBHOOK_DELIVER_JOB]: deliverWebhookJob,
  ...routingJobHandlers,
  ...automationJobHandlers,
};
