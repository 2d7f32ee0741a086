import { contactErasureSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { contentDisposition } from '../media/attachments.routes.ts';
import { requireRole } from '../auth/principal.ts';
import { eraseContact } from './contact-erasure.service.ts';
import { exportContact } from './contact-export.service.ts';

/** Privacy requests about one contact: erasure and data export (admins only, both audited). */
export const privacyRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.delete(
      '/contacts/:id',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Erase a contact and all their data (admin; `erase=true` required): the contact, identities, ' +
            'labels, notes, consents, every conversation with them and its messages, attachments and ' +
            'files, and their search entries. Audited (`contact.erased`); repeating it answers ' +
            '`alreadyErased: true`. Raw provider events and the real-time log keep copies until retention ' +
            'removes them.',
          params: idParams,
          querystring: z.object({
            erase: z.literal('true').describe('must be `true`: erasure cannot be undone'),
          }),
          response: { 200: contactErasureSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        return eraseContact(ctx, p, req.params.id, req.ip);
      },
    );

    app.get(
      '/contacts/:id/export',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Everything held about a contact, as a ZIP (admin): `contact.json` (contact, identities, labels, ' +
            'consents, notes, conversations with messages and attachment metadata; format ' +
            '`switchboard.contact-export/1`) and the stored files under `files/`. Audited (`contact.exported`).',
          params: idParams,
          produces: ['application/zip'],
          response: {
            200: z.unknown().describe('application/zip'),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { zip, fileName } = await exportContact(ctx, p, req.params.id, req.ip);
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', contentDisposition('attachment', fileName))
          .header('cache-control', 'no-store')
          .send(zip);
      },
    );
  };
