import {
  ATTRIBUTE_ENTITIES,
  attributeDefinitionBody,
  attributeDefinitionPatch,
  attributeDefinitionSchema,
  attributeDefinitionsSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';
import { loadDefinitions, toDefinitionDto } from './attribute-values.ts';

/** Administration › Attributes: the custom attributes of contacts and conversations (admin writes). */
export const attributeDefinitionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const load = async (accountId: string, id: string) => {
      const row = await k
        .selectFrom('attribute_definitions')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('Attribute');
      return row;
    };

    app.get(
      '/attribute-definitions',
      {
        schema: {
          tags: ['attributes'],
          summary: 'The custom attributes of contacts and conversations, oldest first (everyone may read)',
          querystring: z.object({ entity: z.enum(ATTRIBUTE_ENTITIES).optional() }),
          response: { 200: attributeDefinitionsSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await loadDefinitions(k, principalOf(req).accountId, req.query.entity) }),
    );

    app.post(
      '/attribute-definitions',
      {
        schema: {
          tags: ['attributes'],
          summary:
            'Define an attribute (admin): text, number, date (YYYY-MM-DD), list (one of `options`), checkbox or link; the key is unique per entity',
          body: attributeDefinitionBody,
          response: { 201: attributeDefinitionSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const b = req.body;
        const now = ctx.clock.now();
        const row = {
          id: newId(now),
          account_id: p.accountId,
          entity: b.entity,
          key: b.key,
          label: b.label,
          type: b.type,
          options: JSON.stringify(b.options),
          created_at: now,
          updated_at: now,
        };
        try {
          await k.transaction().execute(async (tx) => {
            await tx.insertInto('attribute_definitions').values(row).execute();
            await audit(ctx, tx, p, {
              action: 'attribute.created',
              targetType: 'attribute',
              targetId: row.id,
              details: { entity: b.entity, key: b.key, type: b.type },
              ip: req.ip,
            });
          });
        } catch (err) {
          if (isUniqueViolation(err))
            throw new AppError('conflict', `key: a ${b.entity} attribute "${b.key}" already exists`);
          throw err;
        }
        return reply.status(201).send(toDefinitionDto(row));
      },
    );

    app.patch(
      '/attribute-definitions/:id',
      {
        schema: {
          tags: ['attributes'],
          summary:
            "Rename an attribute or change a list's options (admin); key, entity and type stay (values depend on them)",
          params: idParams,
          body: attributeDefinitionPatch,
          response: { 200: attributeDefinitionSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const row = await load(p.accountId, req.params.id);
        const b = req.body;
        if (b.options && row.type !== 'list')
          throw new AppError('validation_error', 'options: only a list attribute has options');
        if (b.options && new Set(b.options).size !== b.options.length)
          throw new AppError('validation_error', 'options: options must differ');
        const patch = {
          ...(b.label !== undefined ? { label: b.label } : {}),
          ...(b.options ? { options: JSON.stringify(b.options) } : {}),
          updated_at: ctx.clock.now(),
        };
        await k.transaction().execute(async (tx) => {
          await tx.updateTable('attribute_definitions').set(patch).where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'attribute.updated',
            targetType: 'attribute',
            targetId: row.id,
            details: { key: row.key, ...b },
            ip: req.ip,
          });
        });
        return toDefinitionDto(await load(p.accountId, row.id));
      },
    );

    app.delete(
      '/attribute-definitions/:id',
      {
        schema: {
          tags: ['attributes'],
          summary:
            'Remove a definition (admin); values already set stay on the records but are no longer checked or offered',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const row = await load(p.accountId, req.params.id);
        await k.transaction().execute(async (tx) => {
          await tx.deleteFrom('attribute_definitions').where('id', '=', row.id).execute();
          await audit(ctx, tx, p, {
            action: 'attribute.deleted',
            targetType: 'attribute',
            targetId: row.id,
            details: { entity: row.entity, key: row.key },
            ip: req.ip,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
