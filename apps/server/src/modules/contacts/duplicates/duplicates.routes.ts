import {
  contactDuplicatesSchema,
  contactSettingsSchema,
  duplicateListSchema,
  duplicatesQuery,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { audit } from '../../audit/audit.service.ts';
import { requireRole } from '../../auth/principal.ts';
import { duplicateGroups, duplicatesOf } from './duplicates.service.ts';
import { invalidateMatchKeys } from './match-keys.ts';

/** Duplicate suggestions (shared phone or e-mail) and the account's settings for them. */
export const contactDuplicateRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts/duplicates',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Possible duplicates: groups of contacts sharing a phone number (E.164, read in the default country) or an e-mail address',
          querystring: duplicatesQuery,
          response: { 200: duplicateListSchema, ...errorResponses },
        },
      },
      async (req) => duplicateGroups(k, principalOf(req).accountId, req.query.limit),
    );

    app.get(
      '/contacts/:id/duplicates',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Other contacts sharing this contact’s phone number or e-mail address (merge suggestions)',
          params: idParams,
          response: { 200: contactDuplicatesSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await duplicatesOf(k, principalOf(req).accountId, req.params.id) }),
    );

    const read = async (accountId: string) => {
      const a = await k
        .selectFrom('accounts')
        .select(['default_country', 'auto_merge_verified'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      return { defaultCountry: a.default_country, autoMergeVerified: a.auto_merge_verified === 1 };
    };

    app.get(
      '/contact-settings',
      {
        schema: {
          tags: ['contacts'],
          summary: 'How contacts are compared: the default country and automatic merging of verified phones',
          response: { 200: contactSettingsSchema, ...errorResponses },
        },
      },
      async (req) => read(principalOf(req).accountId),
    );

    app.put(
      '/contact-settings',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Change the default country and automatic merging (admin)',
          body: contactSettingsSchema,
          response: { 200: contactSettingsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const before = await read(p.accountId);
        await k.transaction().execute(async (tx) => {
          await tx
            .updateTable('accounts')
            .set({
              default_country: req.body.defaultCountry,
              auto_merge_verified: req.body.autoMergeVerified ? 1 : 0,
            })
            .where('id', '=', p.accountId)
            .execute();
          // Numbers without `+` read differently now: every phone key is derived again on the next read.
          if (before.defaultCountry !== req.body.defaultCountry) await invalidateMatchKeys(tx, p.accountId);
          await audit(ctx, tx, p, {
            action: 'contact_settings.updated',
            targetType: 'account',
            targetId: p.accountId,
            details: { before, after: req.body },
            ip: req.ip,
          });
        });
        return read(p.accountId);
      },
    );
  };
