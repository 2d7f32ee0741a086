import {
  type ConsentStatus,
  type ConsentVia,
  contactConsentBody,
  contactConsentListSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { consentScope } from './consent-scope.ts';
import { isCustomersOwnOptOut, recordApiConsent } from './consent.service.ts';

type Via = ConsentVia;

/** One item per scope the contact is reachable in, plus any other scope with a decision on record. */
async function consentList(k: Tx, accountId: string, contactId: string) {
  const identities = await k
    .selectFrom('contact_identities as i')
    .innerJoin('channels as ch', 'ch.id', 'i.channel_id')
    .select('ch.type')
    .where('i.contact_id', '=', contactId)
    .where('i.account_id', '=', accountId)
    .execute();
  const rows = await k
    .selectFrom('contact_consents')
    .selectAll()
    .where('contact_id', '=', contactId)
    .execute();
  const scopes = [
    ...new Set([...identities.map((i) => consentScope(i.type)), ...rows.map((r) => r.scope)]),
  ].sort();
  return scopes.map((scope) => {
    const r = rows.find((x) => x.scope === scope);
    return {
      scope,
      status: (r?.status ?? 'none') as ConsentStatus,
      optedOutAt: r?.opted_out_at ?? null,
      optOutVia: (r?.opt_out_via ?? null) as Via | null,
      optOutSource: r?.opt_out_source ?? null,
      optedInAt: r?.opted_in_at ?? null,
      optInVia: (r?.opt_in_via ?? null) as Via | null,
      optInSource: r?.opt_in_source ?? null,
      updatedAt: r?.updated_at ?? null,
    };
  });
}

/** A contact's opt-out / opt-in per scope, and recording a decision made outside Switchboard. */
export const consentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function contactExists(accountId: string, id: string) {
      const c = await k
        .selectFrom('contacts')
        .select('id')
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!c) throw notFound('Contact');
    }

    app.get(
      '/contacts/:id/consent',
      {
        schema: {
          tags: ['contacts'],
          summary: "A contact's consent per scope (SMS opt-out by STOP, explicit opt-in)",
          params: idParams,
          response: { 200: contactConsentListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await contactExists(p.accountId, req.params.id);
        return { items: await consentList(k, p.accountId, req.params.id) };
      },
    );

    app.put(
      '/contacts/:id/consent',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Record an opt-in (supervisor or admin; e.g. an import with its source) or an opt-out (anyone) for a contact. Audited. An opt-out the customer made themselves (a STOP keyword, or the provider reporting one) can only be lifted by the customer (START).',
          params: idParams,
          body: contactConsentBody,
          response: { 200: contactConsentListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        // Recording an opt-out only ever restricts sending; consent to be written to needs a supervisor.
        if (b.optIn) requireRole(p, 'supervisor');
        await contactExists(p.accountId, req.params.id);
        const current = await consentList(k, p.accountId, req.params.id);
        const scopes = b.scope ? [b.scope] : current.map((c) => c.scope);
        if (b.scope && !current.some((c) => c.scope === b.scope)) {
          throw new AppError(
            'validation_error',
            `scope: the contact is not reachable in "${b.scope}"; known: ${current.map((c) => c.scope).join(', ') || 'none'}`,
          );
        }
        if (scopes.length === 0) throw new AppError('validation_error', 'The contact has no channel yet');
        if (b.optIn) {
          const own = current.filter(
            (c) => scopes.includes(c.scope) && isCustomersOwnOptOut({ status: c.status, via: c.optOutVia }),
          );
          if (own.length > 0) {
            throw new AppError(
              'conflict',
              `The customer opted out of ${own.map((c) => c.scope).join(', ')} themselves (${own
                .map((c) => c.optOutSource)
                .join(', ')}); only they can opt in again there (e.g. by texting START)`,
            );
          }
        }
        await transact(ctx, async (uow) => {
          for (const scope of scopes) {
            await recordApiConsent(
              ctx,
              uow,
              p,
              { contactId: req.params.id, scope, optIn: b.optIn, source: b.source },
              req.ip,
            );
          }
        });
        return { items: await consentList(k, p.accountId, req.params.id) };
      },
    );
  };
