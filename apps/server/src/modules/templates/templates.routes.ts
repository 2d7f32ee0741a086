import { normaliseText } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { importTemplatesCsv, templatesToCsv } from './template-csv.ts';
import { render } from './template-vars.ts';
import {
  assertCanWrite,
  createTemplate,
  loadVisibleTemplate,
  matchesText,
  shortcutSchema,
  TEMPLATE_SCOPES,
  teamsOf,
  templateSchema,
  toTemplateDto,
  updateTemplate,
  visibleTemplates,
} from './template.service.ts';

const fields = {
  name: z.string().trim().min(1).max(200),
  shortcut: shortcutSchema,
  text: z
    .string()
    .min(1)
    .max(10_000)
    .describe(
      '{{contact.name}}, {{contact.first_name}}, {{operator.name}}, ' +
        '{{conversation.id}}, {{contact.attributes.X}}...; {{var | fallback}} when it may be empty',
    ),
  scope: z.enum(TEMPLATE_SCOPES),
  teamId: z.string().min(1).max(64).nullable().optional().describe('required for scope "team"'),
};
const createBody = z.object({ ...fields, scope: fields.scope.default('personal') });
const patchBody = z
  .object({
    name: fields.name.optional(),
    shortcut: fields.shortcut.optional(),
    text: fields.text.optional(),
    scope: fields.scope.optional(),
    teamId: fields.teamId,
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

const listQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('substring of shortcut, name or text'),
  scope: z.enum(TEMPLATE_SCOPES).optional(),
  team: z.string().min(1).max(64).optional(),
});

const renderBody = z.object({ conversationId: z.string().min(1).max(64) });
const renderSchema = z.object({
  text: z.string().describe('unresolved variables are left out (or replaced by their fallback)'),
  unresolved: z
    .array(
      z.object({
        variable: z.string(),
        reason: z.enum(['unknown', 'empty']),
        offset: z.number().int().describe('UTF-16 offset in text where the value is missing'),
      }),
    )
    .describe('flag these to the operator before sending'),
});

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
          querystring: listQuery,
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
          body: z.string().max(5 * 1024 * 1024),
          response: {
            200: z.object({ created: z.number(), updated: z.number(), dryRun: z.boolean() }),
            ...errorResponses,
          },
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
          body: createBody,
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
          body: patchBody,
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
          body: renderBody,
          response: { 200: renderSchema, ...errorResponses },
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
          conversation: { id: conv.id },
          channel,
        });
      },
    );
  };
