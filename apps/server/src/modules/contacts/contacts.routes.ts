import {
  contactListQuery as listQuery,
  contactMergedSchema,
  contactPatchBody as patchBody,
  contactSchema,
  pageOf,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { transact } from '../events/unit-of-work.ts';
import { loadDefinitions, mergeAttributes, parseAttributes } from '../attributes/attribute-values.ts';
import { loadContactDto } from './contact.dto.ts';
import { contactPage } from './contact-list.ts';
import { indexContact } from '../search/search-index.ts';

const MAX_ATTRIBUTES = 200;

export const contactRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Contacts, newest first (cursor pagination), filtered by text, label, attributes, channel, conversation status, consent and creation time',
          querystring: listQuery,
          response: {
            200: pageOf(contactSchema),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query;
        return contactPage(ctx, principalOf(req).accountId, filter, { limit, cursor });
      },
    );

    app.get(
      '/contacts/:id',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'One contact with its channel identities; a merged-away contact answers 301 with Location of the contact it went into',
          params: idParams,
          response: { 200: contactSchema, 301: contactMergedSchema, ...errorResponses },
        },
      },
      async (req) => {
        const c = await loadContactDto(k, principalOf(req).accountId, req.params.id);
        if (!c) throw notFound('Contact');
        return c;
      },
    );

    app.patch(
      '/contacts/:id',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Change name, phone, e-mail (null clears) or attributes (merged) of a contact',
          params: idParams,
          body: patchBody,
          response: { 200: contactSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        return transact(ctx, async (uow) => {
          const row = await uow.tx
            .selectFrom('contacts')
            .selectAll()
            .where('id', '=', req.params.id)
            .where('account_id', '=', p.accountId)
            .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
            .executeTakeFirst();
          if (!row) throw notFound('Contact');
          const patch: RowUpdate<'contacts'> = { updated_at: ctx.clock.now() };
          if (b.name !== undefined) patch.name = b.name;
          if (b.phone !== undefined) patch.phone = b.phone;
          if (b.email !== undefined) patch.email = b.email;
          if (b.attributes !== undefined) {
            // Defined attributes are checked by their type; other keys stay free-form, as before.
            const defs = await loadDefinitions(uow.tx, p.accountId, 'contact');
            const merged = mergeAttributes(parseAttributes(row.attributes), b.attributes, defs, false);
            if (Object.keys(merged).length > MAX_ATTRIBUTES)
              throw new AppError('validation_error', `attributes: a contact has at most ${MAX_ATTRIBUTES}`);
            patch.attributes = JSON.stringify(merged);
          }
          await uow.tx.updateTable('contacts').set(patch).where('id', '=', row.id).execute();
          // Search must find the contact under the corrected name at once.
          await indexContact(ctx, uow.tx, row.id);
          const dto = (await loadContactDto(uow.tx, p.accountId, row.id))!;
          uow.emit(p.accountId, 'contact.updated', dto);
          return dto;
        });
      },
    );
  };
