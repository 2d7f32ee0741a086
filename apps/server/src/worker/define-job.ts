import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { ClaimedJob, EnqueueInput } from '../infra/queue/job-queue.port.ts';
import { PermanentError } from './job-errors.ts';
import type { JobHandler } from './worker.ts';

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly schema: S;
  /** What the worker runs: checks the payload, then calls the job's own function. */
  readonly handler: JobHandler;
  /** A job of this type to enqueue, its payload checked by the compiler against the schema. */
  input(payload: z.input<S>, options: Omit<EnqueueInput, 'type' | 'payload'>): EnqueueInput;
}

/**
 * One job type: its name, the shape of its payload and what runs it. A payload that does not fit (written
 * by an older version, or by hand) can never start working, so it makes the job dead at once with an
 * error naming the field, instead of failing somewhere inside the handler.
 */
export function defineJob<S extends z.ZodType>(
  type: string,
  schema: S,
  run: (ctx: AppContext, payload: z.output<S>, job: ClaimedJob) => Promise<void>,
): JobDefinition<S> {
  return {
    type,
    schema,
    handler: async (ctx, job) => {
      const parsed = schema.safeParse(job.payload);
      if (!parsed.success)
        throw new PermanentError(
          `bad payload for job ${type}: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`,
          'bad_job_payload',
        );
      await run(ctx, parsed.data, job);
    },
    input: (payload, options) => ({ ...options, type, payload }),
  };
}

/** The worker's table of handlers, from the job definitions. */
export function jobTable(defs: JobDefinition[]): Record<string, JobHandler> {
  const table: Record<string, JobHandler> = {};
  for (const d of defs) {
    if (table[d.type]) throw new Error(`job type ${d.type} is defined twice`);
    table[d.type] = d.handler;
  }
  return table;
}
