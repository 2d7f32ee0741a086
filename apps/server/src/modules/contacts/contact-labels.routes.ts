import {
  contactLabelBody,
  contactSchema,
  labelSuggestQuery as suggestQuery,
  labelsInUseSchema,
  labelText,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { transact, type UnitOfWork } from '../events/unit-of-work.ts';
import { loadContactDto } from './contact.dto.ts';

/** A contact row of this account, locked on PostgreSQL so label changes to one contact queue up. */
export async function lockContact(ctx: AppContext, uow: UnitOfWork, accountId: string, id: string) {
  const row = await uow.tx
    .selectFrom('contacts')
    .select('id')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound('Contact');
  return row;
}

/** Labels on contacts (VIP, wholesale, …): add, remove, and suggestions from the labels in use. */
export const contactLabelRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts/labels',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Contact labels in use in the account, most used first (for autocomplete)',
          querystring: suggestQuery,
          response: {
            200: labelsInUseSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const rows = await k
          .selectFrom('contact_labels')
          .select(['label', (eb) => eb.fn.countAll<number | string>().as('n')])
          .where('account_id', '=', p.accountId)
          .groupBy('label')
          .execute();
        // Matched here rather than in SQL: SQLite's lower() and LIKE fold Latin letters only, and
        // "вип" must find "VIP-клиент" the same on both dialects.
        const q = req.query.q?.toLocaleLowerCase();
        const items = rows
          .map((r) => ({ label: r.label, count: Number(r.n) }))
          .filter((r) => !q || r.label.toLocaleLowerCase().includes(q))
          .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
          .slice(0, req.query.limit);
        return { items };
      },
    );

    app.post(
      '/contacts/:id/labels',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Add a label to a contact (adding one it already has changes nothing)',
          params: idParams,
          body: contactLabelBody,
          response: { 200: contactSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { label } = req.body;
        return transact(ctx, async (uow) => {
          const c = await lockContact(ctx, uow, p.accountId, req.params.id);
          const added = await uow.tx
            .insertInto('contact_labels')
            .values({ contact_id: c.id, account_id: p.accountId, label, created_at: ctx.clock.now() })
            .onConflict((oc) => oc.columns(['contact_id', 'label']).doNothing())
            .returning('label')
            .executeTakeFirst();
          const dto = (await loadContactDto(uow.tx, p.accountId, c.id))!;
          if (added) {
            await audit(ctx, uow.tx, p, {
              action: 'contact.label_added',
              targetType: 'contact',
              targetId: c.id,
              details: { label },
              ip: req.ip,
            });
            uow.emit(p.accountId, 'contact.updated', dto);
          }
          return dto;
        });
      },
    );

    app.delete(
      '/contacts/:id/labels/:label',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Remove a label from a contact (URL-encode the label; a missing one changes nothing)',
          params: idParams.extend({ label: labelText }),
          response: { 200: contactSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { label } = req.params;
        return transact(ctx, async (uow) => {
          const c = await lockContact(ctx, uow, p.accountId, req.params.id);
          const removed = await uow.tx
            .deleteFrom('contact_labels')
            .where('contact_id', '=', c.id)
            .where('label', '=', label)
            .executeTakeFirst();
          const dto = (await loadContactDto(uow.tx, p.accountId, c.id))!;
          if (Number(removed.numDeletedRows) > 0) {
            await audit(ctx, uow.tx, p, {
              action: 'contact.label_removed',
              targetType: 'contact',
              targetId: c.id,
              details: { label },
              ip: req.ip,
            });
            uow.emit(p.accountId, 'contact.updated', dto);
          }
          return dto;
        });
      },
    );
  };
