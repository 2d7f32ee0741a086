import { type ContactBulkResult, contactBulkBody, contactBulkResultSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';
import { transact } from '../events/unit-of-work.ts';
import { eraseContact } from '../privacy/contact-erasure.service.ts';
import { loadContactDto } from './contact.dto.ts';
import { lockContact } from './contact-labels.routes.ts';

/**
 * `POST /contacts/bulk`: a label added to or removed from selected contacts (each contact in its own
 * transaction, audited and announced as the one-contact routes do), or their erasure as
 * `DELETE /contacts/:id?erase=true` defines it (admin), one contact after another.
 */
export const contactBulkRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/contacts/bulk',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Bulk label or erase selected contacts: `addLabel` / `removeLabel` (supervisor or admin), `erase` ' +
            '(admin, `erase: true`: every contact erased as DELETE /contacts/{id}?erase=true does)',
          body: contactBulkBody,
          response: { 200: contactBulkResultSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        requireRole(p, b.action === 'erase' ? 'admin' : 'supervisor');
        const r: ContactBulkResult = { changed: 0, unchanged: 0, notFound: [] };
        for (const id of [...new Set(b.ids)]) {
          if (b.action === 'erase') {
            try {
              const e = await eraseContact(ctx, p, id, req.ip);
              r[e.alreadyErased ? 'unchanged' : 'changed']++;
            } catch (err) {
              if (err instanceof DomainError && err.code === 'not_found') r.notFound.push(id);
              else throw err;
            }
            continue;
          }
          const { label } = b;
          try {
            await transact(ctx, async (uow) => {
              const c = await lockContact(ctx, uow, p.accountId, id);
              const n =
                b.action === 'addLabel'
                  ? (
                      await uow.tx
                        .insertInto('contact_labels')
                        .values({
                          contact_id: c.id,
                          account_id: p.accountId,
                          label,
                          created_at: ctx.clock.now(),
                        })
                        .onConflict((oc) => oc.columns(['contact_id', 'label']).doNothing())
                        .returning('label')
                        .execute()
                    ).length
                  : Number(
                      (
                        await uow.tx
                          .deleteFrom('contact_labels')
                          .where('contact_id', '=', c.id)
                          .where('label', '=', label)
                          .executeTakeFirst()
                      ).numDeletedRows,
                    );
              if (n === 0) {
                r.unchanged++;
                return;
              }
              r.changed++;
              await audit(ctx, uow.tx, p, {
                action: b.action === 'addLabel' ? 'contact.label_added' : 'contact.label_removed',
                targetType: 'contact',
                targetId: c.id,
                details: { label, bulk: true },
                ip: req.ip,
              });
              uow.emit(p.accountId, 'contact.updated', (await loadContactDto(uow.tx, p.accountId, c.id))!);
            });
          } catch (err) {
            if (err instanceof DomainError && err.code === 'not_found') r.notFound.push(id);
            else throw err;
          }
        }
        return r;
      },
    );
  };
