import {
  contactListQuery as listQuery,
  contactMergedSchema,
  contactPatchBody as patchBody,
  contactSchema,
  pageOf,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams } from '../../http/schemas.ts';
import { transact } from '../events/unit-of-work.ts';
import { attributeConditions } from '../attributes/attribute-filter.ts';
import { loadDefinitions, mergeAttributes, parseAttributes } from '../attributes/attribute-values.ts';
import { loadContactDto, toContactDtos } from './contact.dto.ts';
import { indexContact } from '../search/search-index.ts';

const MAX_ATTRIBUTES = 200;

/** LIKE treats % and _ as wildcards; a search for "50%" must find the text "50%". */
function likeContains(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const contactRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Contacts, newest first (cursor pagination), optionally filtered by `q` and `label`',
          querystring: listQuery,
          response: {
            200: pageOf(contactSchema),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { q, label, limit, attribute } = req.query;
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
          throw new AppError('validation_error', 'cursor: malformed');
        let query = k
          .selectFrom('contacts')
          .selectAll()
          .where('account_id', '=', p.accountId)
          .where('merged_into', 'is', null);
        if (q) {
          const pattern = likeContains(q);
          const lower = sql.raw(ctx.db.dialect === 'sqlite' ? 'unicode_lower' : 'lower');
          query = query.where((eb) =>
            eb.or(
              (['name', 'phone', 'email'] as const).map(
                (col) => sql<boolean>`${lower}(${sql.ref(col)}) like ${pattern} escape '\\'`,
              ),
            ),
          );
        }
        if (label) {
          query = query.where((eb) =>
            eb.exists(
              eb
                .selectFrom('contact_labels as l')
                .select('l.contact_id')
                .whereRef('l.contact_id', '=', 'contacts.id')
                .where('l.label', '=', label),
            ),
          );
        }
        if (attribute) {
          const defs = await loadDefinitions(k, p.accountId, 'contact');
          for (const cond of attributeConditions(ctx.db.dialect, 'contacts.attributes', attribute, defs))
            query = query.where(cond);
        }
        if (cursor) {
          const [at, id] = cursor as [number, string];
          query = query.where((eb) =>
            eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
          );
        }
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: await toContactDtos(k, page),
          nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
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
