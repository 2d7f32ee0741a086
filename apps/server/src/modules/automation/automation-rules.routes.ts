import { executionSchema, ruleInputSchema, ruleOrderBody, ruleSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams, newestFirstPage, pageQuery } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { ruleDocs } from './rule-docs.ts';
import { createRule, deleteRule, reorderRules, setEnabled, updateRule } from './rule.service.ts';
import { findRule, listRules, toDto, toExecution } from './rule.store.ts';

const tags = ['automation'];

export const automationRuleRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    const description = ruleDocs();

    async function one(accountId: string, id: string) {
      const r = await findRule(k, accountId, id);
      if (!r) throw notFound('Automation rule');
      return r;
    }

    app.get(
      '/automation-rules',
      {
        schema: {
          tags,
          summary: 'Automation rules of the account in evaluation order (supervisor)',
          description,
          response: { 200: z.object({ items: z.array(ruleSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        return { items: (await listRules(k, p.accountId)).map(toDto) };
      },
    );

    app.get(
      '/automation-rules/:id',
      {
        schema: {
          tags,
          summary: 'One automation rule (supervisor)',
          params: idParams,
          response: { 200: ruleSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        return toDto(await one(p.accountId, req.params.id));
      },
    );

    app.post(
      '/automation-rules',
      {
        schema: {
          tags,
          summary: 'Create an automation rule (admin); it goes last in the order',
          description,
          body: ruleInputSchema,
          response: { 201: ruleSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const id = await createRule(ctx, p, req.body);
        return reply.status(201).send(toDto(await one(p.accountId, id)));
      },
    );

    app.put(
      '/automation-rules/:id',
      {
        schema: {
          tags,
          summary: 'Replace an automation rule (admin); its place in the order stays',
          description,
          params: idParams,
          body: ruleInputSchema,
          response: { 200: ruleSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await one(p.accountId, req.params.id);
        await updateRule(ctx, p, req.params.id, req.body);
        return toDto(await one(p.accountId, req.params.id));
      },
    );

    app.delete(
      '/automation-rules/:id',
      {
        schema: {
          tags,
          summary: 'Delete an automation rule with its log and pending timers (admin)',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await one(p.accountId, req.params.id);
        await deleteRule(ctx, p, req.params.id);
        return reply.status(204).send(null);
      },
    );

    for (const [verb, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `/automation-rules/:id/${verb}`,
        {
          schema: {
            tags,
            summary: `${enabled ? 'Enable' : 'Disable'} an automation rule (admin)`,
            params: idParams,
            response: { 200: ruleSchema, ...errorResponses },
          },
        },
        async (req) => {
          const p = principalOf(req);
          requireRole(p, 'admin');
          await one(p.accountId, req.params.id);
          await setEnabled(ctx, p, req.params.id, enabled);
          return toDto(await one(p.accountId, req.params.id));
        },
      );
    }

    app.put(
      '/automation-rules/order',
      {
        schema: {
          tags,
          summary: 'Set the evaluation order (admin): every rule id of the account, first to last',
          body: ruleOrderBody,
          response: { 200: z.object({ items: z.array(ruleSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await reorderRules(ctx, p, req.body.ids);
        return { items: (await listRules(k, p.accountId)).map(toDto) };
      },
    );

    app.get(
      '/automation-rules/:id/executions',
      {
        schema: {
          tags,
          summary:
            'Runs of a rule, newest first (supervisor): conversation, outcome, each action’s result, error',
          params: idParams,
          querystring: pageQuery,
          response: {
            200: z.object({ items: z.array(executionSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const rule = await one(p.accountId, req.params.id);
        const { page, nextCursor } = await newestFirstPage(
          k.selectFrom('automation_executions').selectAll().where('rule_id', '=', rule.id),
          req.query.cursor,
          req.query.limit,
        );
        return { items: page.map(toExecution), nextCursor };
      },
    );
  };
