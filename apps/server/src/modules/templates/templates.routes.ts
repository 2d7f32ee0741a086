import {
  normaliseText,
  renderedTemplateSchema,
  templateCreateBody,
  templateCsvBody,
  templateImportResultSchema,
  templateListQuery,
  templatePatchBody,
  templateRenderBody,
  templateSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { importTemplatesCsv, templatesToCsv } from './template-csv.ts';
import { parseAttributes } from '../attributes/attribute-values.ts';
import { render } from './template-vars.ts';
import {
  assertCanWrite,
  createTemplate,
  loadVisibleTemplate,
  matchesText,
  teamsOf,
  toTemplateDto,
  updateTemplate,
  visibleTemplates,
} from './template.service.ts';

const MAX_LIST = 2000;

export const templateRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 },
      (_req, body, done) => done(null, normaliseText(body as string)),
    );

    app.get(
      '/templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Templates this user can use (account, their teams, their own), by shortcut',
          querystring: templateListQuery,
          response: { 200: z.object({ items: z.array(templateSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        let query = visibleTemplates(k, p, await teamsOf(k, p));
        if (req.query.scope) query = query.where('scope', '=', req.query.scope);
        if (req.query.team) query = query.where('team_id', '=', req.query.team);
        const rows = await query.orderBy('shortcut').orderBy('id').limit(MAX_LIST).execute();
        const q = req.query.q;
        return { items: (q ? rows.filter((r) => matchesText(r, q)) : rows).map(toTemplateDto) };
      },
    );

    app.get(
      '/templates/export.csv',
      {
        schema: {
          tags: ['templates'],
          summary: 'The visible template list as CSV (name, shortcut, scope, team, text)',
          produces: ['text/csv'],
          response: { 200: z.string(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const rows = await visibleTemplates(k, p, await teamsOf(k, p))
          .orderBy('scope_key')
          .orderBy('shortcut')
          .execute();
        const teams = await k
          .selectFrom('teams')
          .select(['id', 'name'])
          .where('account_id', '=', p.accountId)
          .execute();
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="templates.csv"')
          .send(templatesToCsv(rows, new Map(teams.map((t) => [t.id, t.name]))));
      },
    );

    app.post(
      '/templates/import',
      {
        schema: {
          tags: ['templates'],
          summary: 'Create or update templates from CSV (Content-Type: text/csv); all rows or none',
          querystring: z.object({ dryRun: z.stringbool().default(false) }),
          body: templateCsvBody,
          response: { 200: templateImportResultSchema, ...errorResponses },
        },
      },
      async (req) => importTemplatesCsv(ctx, principalOf(req), req.body, req.query.dryRun),
    );

    app.post(
      '/templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Create a template (everyone and team scopes need a supervisor)',
          body: templateCreateBody,
          response: { 201: templateSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const row = await createTemplate(ctx, k, principalOf(req), req.body);
        return reply.status(201).send(toTemplateDto(row));
      },
    );

    app.get(
      '/templates/:id',
      {
        schema: {
          tags: ['templates'],
          summary: 'One template',
          params: idParams,
          response: { 200: templateSchema, ...errorResponses },
        },
      },
      async (req) => toTemplateDto(await loadVisibleTemplate(k, principalOf(req), req.params.id)),
    );

    app.patch(
      '/templates/:id',
      {
        schema: {
          tags: ['templates'],
          summary: 'Change a template',
          params: idParams,
          body: templatePatchBody,
          response: { 200: templateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return k.transaction().execute(async (tx) => {
          const row = await loadVisibleTemplate(tx, p, req.params.id);
          return toTemplateDto(await updateTemplate(ctx, tx, p, row, req.body));
        });
      },
    );

    app.delete(
      '/templates/:id',
      {
        schema: {
          tags: ['templates'],
          summary: 'Delete a template',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const row = await loadVisibleTemplate(k, p, req.params.id);
        assertCanWrite(p, row);
        await k.deleteFrom('templates').where('id', '=', row.id).execute();
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/templates/:id/render',
      {
        schema: {
          tags: ['templates'],
          summary: 'Fill a template for a conversation; unresolved variables are listed, never sent raw',
          params: idParams,
          body: templateRenderBody,
          response: { 200: renderedTemplateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const tpl = await loadVisibleTemplate(k, p, req.params.id);
        const conv = await loadVisibleConversation(ctx, p, req.body.conversationId);
        const contact = await k
          .selectFrom('contacts')
          .select(['name', 'phone', 'email', 'attributes'])
          .where('id', '=', conv.contact_id)
          .executeTakeFirstOrThrow();
        const channel = await k
          .selectFrom('channels')
          .select('name')
          .where('id', '=', conv.channel_id)
          .executeTakeFirstOrThrow();
        const operator = await k
          .selectFrom('users')
          .select(['name', 'email'])
          .where('id', '=', p.userId)
          .executeTakeFirstOrThrow();
        return render(tpl.body, {
          contact: {
            name: contact.name,
            phone: contact.phone,
            email: contact.email,
            attributes: Object.assign(Object.create(null), JSON.parse(contact.attributes)),
          },
          operator,
          conversation: {
            id: conv.id,
            attributes: Object.assign(Object.create(null), parseAttributes(conv.attributes)),
          },
          channel,
        });
      },
    );
  };
