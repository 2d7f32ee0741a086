import { contactNoteBody, contactNoteSchema, pageOf } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams, pageQuery } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { hasRole, type Principal } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { lockContact } from './contact-labels.routes.ts';
import { contactNoteQuery, loadContactNote, toContactNoteDto } from './contact-note.dto.ts';

const noteParams = idParams.extend({ noteId: z.string().min(1).max(64) });

/** Only the note's author changes or deletes it; an admin may too (e.g. to take out personal data). */
function mayChange(p: Principal, authorId: string): void {
  if (authorId !== p.userId && !hasRole(p, 'admin'))
    throw forbidden('Only the author of a note or an admin may change it');
}

/** Operators' notes on a contact: written by one, read by all, live in every console. */
export const contactNoteRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts/:id/notes',
      {
        schema: {
          tags: ['contacts'],
          summary: "A contact's notes, newest first (cursor pagination)",
          params: idParams,
          querystring: pageQuery,
          response: {
            200: pageOf(contactNoteSchema),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const contact = await k
          .selectFrom('contacts')
          .select('id')
          .where('id', '=', req.params.id)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!contact) throw notFound('Contact');
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
          throw new AppError('validation_error', 'cursor: malformed');
        let q = contactNoteQuery(k).where('n.contact_id', '=', contact.id);
        if (cursor) {
          const [at, id] = cursor as [number, string];
          q = q.where((eb) =>
            eb.or([eb('n.created_at', '<', at), eb.and([eb('n.created_at', '=', at), eb('n.id', '<', id)])]),
          );
        }
        const rows = await q
          .orderBy('n.created_at', 'desc')
          .orderBy('n.id', 'desc')
          .limit(req.query.limit + 1)
          .execute();
        const page = rows.slice(0, req.query.limit);
        const last = page[page.length - 1];
        return {
          items: page.map(toContactNoteDto),
          nextCursor: rows.length > req.query.limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      },
    );

    app.post(
      '/contacts/:id/notes',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Write a note on a contact (seen by operators only, never sent)',
          params: idParams,
          body: contactNoteBody,
          response: { 201: contactNoteSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const note = await transact(ctx, async (uow) => {
          const c = await lockContact(ctx, uow, p.accountId, req.params.id);
          const now = ctx.clock.now();
          const id = newId(now);
          await uow.tx
            .insertInto('contact_notes')
            .values({
              id,
              account_id: p.accountId,
              contact_id: c.id,
              author_id: p.userId,
              body: req.body.text,
              created_at: now,
              updated_at: now,
            })
            .execute();
          const dto = toContactNoteDto((await loadContactNote(uow.tx, p.accountId, c.id, id))!);
          await audit(ctx, uow.tx, p, {
            action: 'contact_note.created',
            targetType: 'contact',
            targetId: c.id,
            details: { noteId: id },
            ip: req.ip,
          });
          uow.emit(p.accountId, 'contact_note.created', dto);
          return dto;
        });
        return reply.code(201).send(note);
      },
    );

    app.patch(
      '/contacts/:id/notes/:noteId',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Edit a note (its author or an admin)',
          params: noteParams,
          body: contactNoteBody,
          response: { 200: contactNoteSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return transact(ctx, async (uow) => {
          const c = await lockContact(ctx, uow, p.accountId, req.params.id);
          const row = await loadContactNote(uow.tx, p.accountId, c.id, req.params.noteId);
          if (!row) throw notFound('Note');
          mayChange(p, row.author_id);
          if (row.body === req.body.text) return toContactNoteDto(row);
          await uow.tx
            .updateTable('contact_notes')
            .set({ body: req.body.text, updated_at: Math.max(ctx.clock.now(), row.created_at + 1) })
            .where('id', '=', row.id)
            .execute();
          const dto = toContactNoteDto((await loadContactNote(uow.tx, p.accountId, c.id, row.id))!);
          await audit(ctx, uow.tx, p, {
            action: 'contact_note.updated',
            targetType: 'contact',
            targetId: c.id,
            details: { noteId: row.id, authorId: row.author_id },
            ip: req.ip,
          });
          uow.emit(p.accountId, 'contact_note.updated', dto);
          return dto;
        });
      },
    );

    app.delete(
      '/contacts/:id/notes/:noteId',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Delete a note (its author or an admin)',
          params: noteParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        await transact(ctx, async (uow) => {
          const c = await lockContact(ctx, uow, p.accountId, req.params.id);
          const row = await loadContactNote(uow.tx, p.accountId, c.id, req.params.noteId);
          if (!row) throw notFound('Note');
          mayChange(p, row.author_id);
          await uow.tx.deleteFrom('contact_notes').where('id', '=', row.id).execute();
          await audit(ctx, uow.tx, p, {
            action: 'contact_note.deleted',
            targetType: 'contact',
            targetId: c.id,
            // The text goes with the note: an admin deleting personal data must not leave a copy here.
            details: { noteId: row.id, authorId: row.author_id },
            ip: req.ip,
          });
          uow.emit(p.accountId, 'contact_note.deleted', { id: row.id, contactId: c.id });
        });
        return reply.code(204).send(null);
      },
    );
  };
