import { z } from 'zod';
import { transact } from '../events/unit-of-work.ts';
import { defineJob } from '../../worker/define-job.ts';
import { sendSurvey } from './csat-survey.service.ts';

export const CSAT_SURVEY_JOB = 'csat.survey';

/** After a resolution committed: the survey, in its own transaction (see sendSurvey). */
export const csatSurveyJob = defineJob(
  CSAT_SURVEY_JOB,
  z.object({
    conversationId: z.string(),
    resolvedAt: z.number(),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
  }),
  async (ctx, payload) => {
    await transact(ctx, (uow) => sendSurvey(ctx, uow, payload));
  },
);
