import { slaPolicyBody, slaPolicyListSchema, slaPolicyPatchBody, slaPolicySchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { createPolicy, deletePolicy, updatePolicy } from './sla-policy.service.ts';
import { listPolicies, policyOfRow } from './sla-policy.store.ts';

const tags = ['sla'];
const description =
  'A conversation runs against the first active policy, by `position`, whose `appliesTo` matches it ' +
  '(channel, team, label); each target takes the policy that matches when it starts. Targets and their ' +
  'due times are defined in docs/metrics.md ("SLA"); a breach emits `sla.breached` once per target.';

export const slaPolicyRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function one(accountId: string, id: string) {
      const r = await k
        .selectFrom('sla_policies')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!r) throw notFound('SLA policy');
      return policyOfRow(r);
    }

    app.get(
      '/sla-policies',
      {
        schema: {
          tags,
          summary: 'SLA policies in precedence order',
          description,
          response: { 200: slaPolicyListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return { items: await listPolicies(k, p.accountId) };
      },
    );

    app.get(
      '/sla-policies/:id',
      {
        schema: {
          tags,
          summary: 'One SLA policy',
          params: idParams,
          response: { 200: slaPolicySchema, ...errorResponses },
        },
      },
      async (req) => one(principalOf(req).accountId, req.params.id),
    );

    app.post(
      '/sla-policies',
      {
        schema: {
          tags,
          summary: 'Create an SLA policy (admin); it goes last unless `position` is given',
          description,
          body: slaPolicyBody,
          response: { 201: slaPolicySchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const id = await createPolicy(ctx, p, req.body);
        return reply.status(201).send(await one(p.accountId, id));
      },
    );

    app.patch(
      '/sla-policies/:id',
      {
        schema: {
          tags,
          summary: 'Change an SLA policy (admin); running targets keep their due times',
          params: idParams,
          body: slaPolicyPatchBody,
          response: { 200: slaPolicySchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        if (!(await updatePolicy(ctx, p, req.params.id, req.body))) throw notFound('SLA policy');
        return one(p.accountId, req.params.id);
      },
    );

    app.delete(
      '/sla-policies/:id',
      {
        schema: {
          tags,
          summary: 'Delete an SLA policy (admin); what it measured stays in the reports',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        if (!(await deletePolicy(ctx, p, req.params.id))) throw notFound('SLA policy');
        return reply.status(204).send(null);
      },
    );
  };
