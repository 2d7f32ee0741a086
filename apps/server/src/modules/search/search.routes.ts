import {
  mentionsQuery,
  mentionsReportSchema,
  pageOf,
  searchHitSchema,
  searchQuery,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleTeamIds } from '../conversations/conversation-access.ts';
import { CSV_BOM, csvLine } from '../../lib/csv.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';
import { mentionsReport } from './mentions.service.ts';
import type { SearchScope } from './matching-docs.ts';
import { parseSearchText, searchHits } from './search.service.ts';

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
          response: { 200: pageOf(searchHitSchema), ...errorResponses },
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
