import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../domain.ts';
import { CONVERSATION_SORTS, SLA_STATES } from './inbox-order.ts';

const ref = z.string().trim().min(1).max(64);

/** The inbox filters a saved view keeps: the GET /conversations query fields of the same names. */
export const viewFiltersSchema = z
  .strictObject({
    status: z
      .enum([...CONVERSATION_STATUSES, 'any'])
      .optional()
      .describe('"any": every status; omitted: open'),
    assignee: ref.optional().describe('"me" (whoever opens the view), "none" or a user id'),
    team: ref.optional(),
    channel: ref.optional(),
    label: ref.optional(),
    attribute: z
      .array(
        z
          .string()
          .trim()
          .min(3)
          .max(300)
          .regex(/^[^:]+:/, 'key:value'),
      )
      .max(5)
      .optional()
      .describe('custom attribute conditions `key:value`, all must hold'),
    slaState: z.enum(SLA_STATES).optional(),
    sort: z.enum(CONVERSATION_SORTS).optional().describe('omitted: activity (newest first)'),
  })
  .describe('the saved inbox filters; omitted fields do not filter');
export type ViewFilters = z.infer<typeof viewFiltersSchema>;

export const viewSchema = z.object({
  id: z.string(),
  name: z.string(),
  filters: viewFiltersSchema,
  ownerId: z.string(),
  sharedWithTeamId: z
    .string()
    .nullable()
    .describe(
      "the team whose members see the view (read-only unless admin or the view's owner); null: personal",
    ),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SavedView = z.infer<typeof viewSchema>;
export const viewListSchema = z.object({
  items: z.array(viewSchema).describe('your own views, then those shared with your teams, by name'),
});

const viewName = z.string().trim().min(1).max(80);

export const viewCreateBody = z.strictObject({
  name: viewName,
  filters: viewFiltersSchema,
  sharedWithTeamId: ref.nullish().describe('admins only: share the view with this team'),
});
export type ViewCreate = z.input<typeof viewCreateBody>;

export const viewPatchBody = z
  .strictObject({
    name: viewName.optional(),
    filters: viewFiltersSchema.optional(),
    sharedWithTeamId: ref.nullable().optional().describe('admins only; null stops sharing'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type ViewPatch = z.input<typeof viewPatchBody>;
