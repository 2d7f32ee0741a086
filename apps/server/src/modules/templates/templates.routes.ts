import {
  normaliseText,
  renderedTemplateSchema,
  templateCreateBody,
  templateCsvBody,
  templateImportResultSchema,
  templateListQuery,
  templateListSchema,
  templatePatchBody,
  templatePreviewBody,
  templatePreviewSchema,
  templateRenderBody,
  templateSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { attachmentsOf, copyToUploads, deleteStoredFiles, detachFiles } from './template-attachments.ts';
import { conversationContext, sampleContext } from './template-context.ts';
import { importTemplatesCsv, templatesToCsv } from './template-csv.ts';
import { templateFileRoutes } from './template-files.routes.ts';
import { render, variablesOf } from './template-vars.ts';
import {
  assertCanWrite,
  createTemplate,
  loadVisibleTemplate,
  matchesText,
  teamsOf,
  templateDto,
  templateDtos,
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
    await app.register(templateFileRoutes(ctx));

    app.get(
      '/templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Templates this user can use (account, their teams, their own), by shortcut',
          querystring: templateListQuery,
          response: { 200: templateListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        let query = visibleTemplates(k, p, await teamsOf(k, p));
        if (req.query.scope) query = query.where('scope', '=', req.query.scope);
        if (req.query.team) query = query.where('team_id', '=', req.query.team);
        const rows = await query.orderBy('shortcut').orderBy('id').limit(MAX_LIST).execute();
        const q = req.query.q;
        return { items: await templateDtos(k, q ? rows.filter((r) => matchesText(r, q)) : rows) };
      },
    );

    app.get(
      '/templates/export.csv',
      {
        schema: {
          tags: ['templates'],
          summary:
            'The visible template list as CSV (name, shortcut, scope, team, text); files stay with the templates',
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
      '/templates/preview',
      {
        schema: {
          tags: ['templates'],
          summary:
            'Fill text being written with sample values, or from a conversation the caller can see; ' +
            'lists its variables (unknown ones flagged) and what stayed unresolved',
          body: templatePreviewBody,
          response: { 200: templatePreviewSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const id = req.body.conversationId;
        const c = id ? await conversationContext(ctx, k, p, id) : await sampleContext(k, p);
        return { ...render(req.body.text, c), variables: variablesOf(req.body.text), sample: !id };
      },
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
        return reply.status(201).send(await templateDto(k, row));
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
      async (req) => templateDto(k, await loadVisibleTemplate(k, principalOf(req), req.params.id)),
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
          return templateDto(tx, await updateTemplate(ctx, tx, p, row, req.body));
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
        const files = await k.transaction().execute(async (tx) => {
          const keys = await detachFiles(tx, row.id);
          await tx.deleteFrom('templates').where('id', '=', row.id).execute();
          return keys;
        });
        await deleteStoredFiles(ctx, files);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/templates/:id/render',
      {
        schema: {
          tags: ['templates'],
          summary:
            'Fill a template for a conversation; unresolved variables are listed, never sent raw. Its files ' +
            'come back as fresh uploads of the caller to send with the reply.',
          params: idParams,
          body: templateRenderBody,
          response: { 200: renderedTemplateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const tpl = await loadVisibleTemplate(k, p, req.params.id);
        const rendered = render(tpl.body, await conversationContext(ctx, k, p, req.body.conversationId));
        const files = req.body.withAttachments ? ((await attachmentsOf(k, [tpl.id])).get(tpl.id) ?? []) : [];
        return { ...rendered, attachments: await copyToUploads(ctx, p, files) };
      },
    );
  };
