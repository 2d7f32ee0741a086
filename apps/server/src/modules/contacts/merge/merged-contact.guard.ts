import type { ContactMergedBody } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { contactMergedError } from './contact-merge.service.ts';

const CONTACT_ROUTE = /^\/api\/v1\/contacts\/:id(\/|$)/;

/**
 * A merged-away contact keeps its row only as a pointer to the contact it went into. Asked for by id,
 * `GET /contacts/:id` answers 301 with Location (the console follows it to the kept contact); every
 * other route of that contact answers 409 `contact_merged` with `details.mergedInto`, so nothing is ever
 * written to the pointer.
 */
export function registerMergedContactGuard(v1: FastifyInstance, ctx: AppContext): void {
  v1.addHook('preHandler', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || !CONTACT_ROUTE.test(route)) return;
    const id = (req.params as { id?: unknown }).id;
    if (typeof id !== 'string' || !req.principal) return;
    const row = await ctx.db.kysely
      .selectFrom('contacts')
      .select('merged_into')
      .where('id', '=', id)
      .where('account_id', '=', principalOf(req).accountId)
      .executeTakeFirst();
    if (!row?.merged_into) return;
    if (req.method === 'GET' && route === '/api/v1/contacts/:id') {
      const body: ContactMergedBody = {
        error: { code: 'contact_merged', message: `This contact was merged into ${row.merged_into}` },
        mergedInto: row.merged_into,
      };
      return reply.status(301).header('location', `/api/v1/contacts/${row.merged_into}`).send(body);
    }
    throw contactMergedError(row.merged_into);
  });
}
