import { mentionsReportSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleTeamIds } from '../conversations/conversation-access.ts';
import { CSV_BOM, csvLine } from '../../lib/csv.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';
import { conversationFilterSchema } from './conversation-filter.ts';
import { mentionsReport } from './mentions.service.ts';
import type { SearchScope } from './matching-docs.ts';
import { parseSearchText, searchHits } from './search.service.ts';

const qParam = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe(
    'words (any form: "заказ" finds "заказы", "order" finds "ordered") and "quoted phrases"; all must match',
  );

const searchQuery = conversationFilterSchema.extend({
  q: qParam,
  author: z.string().min(1).max(64).optional().describe('only messages written by this user id'),
  kind: z
    .enum(['all', 'messages', 'contacts'])
    .default('all')
    .describe('contacts (name, phone, e-mail) are searched only when no conversation filter is given'),
  order: z
    .enum(['recent', 'relevance'])
    .optional()
    .describe(
      'recent (the default): newest matches first over all history, found without ranking every match; ' +
        'relevance: best matches first among the newest 20,000 matching messages (and all contacts), slower',
    ),
  sort: z.enum(['relevance', 'recent']).optional().describe('the former name of `order`; `order` wins'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const span = z.object({ start: z.number().int(), end: z.number().int() });
const snippetSchema = z
  .object({
    text: z.string(),
    highlights: z.array(span).describe('UTF-16 offsets into text; render as text, never as HTML'),
  })
  .describe('plain text around the first match');

const hitSchema = z.object({
  kind: z.enum(['message', 'contact']),
  score: z.number(),
  messageId: z.string().nullable(),
  conversationId: z.string().nullable().describe('open this conversation (at messageId when set)'),
  createdAt: z.number(),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  message: z
    .object({
      direction: z.string(),
      authorKind: z.string(),
      authorId: z.string().nullable(),
      private: z.boolean(),
      contentKind: z.string(),
    })
    .nullable(),
  conversation: z
    .object({
      status: z.string(),
      assigneeId: z.string().nullable(),
      teamId: z.string().nullable(),
      channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
    })
    .nullable(),
  snippet: snippetSchema,
});

const mentionsQuery = conversationFilterSchema.extend({
  q: qParam,
  direction: z
    .enum(['in', 'out'])
    .default('in')
    .describe('in: what customers wrote (default); out: what operators wrote'),
  customersLimit: z.coerce.number().int().min(1).max(1000).default(100),
});

const MAX_CSV_CUSTOMERS = 100_000;

export async function searchScope(ctx: AppContext, p: Principal): Promise<SearchScope> {
  return { accountId: p.accountId, userId: p.userId, teams: await visibleTeamIds(ctx, p) };
}

export const searchRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/search',
      {
        schema: {
          tags: ['search'],
          summary:
            'Full-text search over all messages, notes and contacts, newest first or ranked, with snippets',
          querystring: searchQuery,
          response: {
            200: z.object({ items: z.array(hitSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { q, limit, cursor, sort, order, ...filter } = req.query;
        const parsed = parseSearchText(q);
        return searchHits(ctx, await searchScope(ctx, principalOf(req)), parsed, filter, {
          limit,
          cursor,
          sort: order ?? sort ?? 'recent',
        });
      },
    );

    app.get(
      '/search/mentions',
      {
        schema: {
          tags: ['search'],
          summary: 'Who mentioned something: customers and conversations, counts by day, the customer list',
          querystring: mentionsQuery,
          response: { 200: mentionsReportSchema, ...errorResponses },
        },
      },
      async (req) => {
        const { q, customersLimit, ...filter } = req.query;
        const parsed = parseSearchText(q);
        return mentionsReport(ctx, await searchScope(ctx, principalOf(req)), parsed, filter, customersLimit);
      },
    );

    app.get(
      '/search/mentions/customers.csv',
      {
        schema: {
          tags: ['search'],
          summary: 'The customers of the mentions report as CSV (all of them, most mentions first)',
          querystring: mentionsQuery.omit({ customersLimit: true }),
          produces: ['text/csv'],
          response: { 200: z.string(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { q, ...filter } = req.query;
        const parsed = parseSearchText(q);
        const r = await mentionsReport(
          ctx,
          await searchScope(ctx, principalOf(req)),
          parsed,
          filter,
          MAX_CSV_CUSTOMERS,
        );
        const zone = new ZonedTime(r.timeZone);
        let csv =
          CSV_BOM +
          csvLine(['Contact ID', 'Name', 'Phone', 'E-mail', 'Messages', 'Conversations', 'First', 'Last']);
        for (const c of r.customers) {
          csv += csvLine([
            c.contactId,
            c.name,
            c.phone,
            c.email,
            c.messages,
            c.conversations,
            zone.format(c.firstAt),
            zone.format(c.lastAt),
          ]);
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="mentions-customers.csv"')
          .send(csv);
      },
    );
  };
