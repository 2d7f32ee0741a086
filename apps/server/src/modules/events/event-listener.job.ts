import { EVENT_PAYLOAD_SCHEMAS, EVENT_TYPES } from '@switchboard/shared';
import { z } from 'zod';
import type { JobHandler } from '../../worker/worker.ts';
import { PermanentError } from '../../worker/job-errors.ts';
import type { EmittedEvent } from './event-listeners.ts';

export const EVENT_LISTENER_JOB = 'event.listener';

export const eventListenerJobSchema = z.object({
  listener: z.string(),
  event: z.object({
    id: z.string(),
    accountId: z.string(),
    type: z.enum(EVENT_TYPES),
    teamId: z.string().nullable(),
    payload: z.unknown(),
    createdAt: z.number(),
  }),
});

export type EventListenerJob = z.infer<typeof eventListenerJobSchema>;

/** Runs one job-mode listener for one event (written by `transact` in the event's transaction). */
export const eventListenerJob: JobHandler = async (ctx, job) => {
  const parsed = eventListenerJobSchema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentError(`bad event.listener payload: ${parsed.error.message}`);
  const { listener: name, event } = parsed.data;
  const payload = EVENT_PAYLOAD_SCHEMAS[event.type].safeParse(event.payload);
  if (!payload.success) throw new PermanentError(`bad ${event.type} payload: ${payload.error.message}`);
  const listener = ctx.listeners.get(name);
  // A listener removed in a newer release: its leftover jobs have nobody to run them.
  if (listener?.mode !== 'job') {
    ctx.log.warn({ listener: name, jobId: job.id }, 'no job listener by this name; job dropped');
    return;
  }
  await listener.handle(ctx, { ...event, payload: payload.data } as EmittedEvent, job);
};
