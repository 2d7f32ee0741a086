import {
  createdWebhookSchema,
  createWebhookBody,
  pageOf,
  updateWebhookBody,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams, pageQuery } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { deliveryDetail, listDeliveries, redeliver } from './webhook-deliveries.service.ts';
import { createWebhook, deleteWebhook, loadWebhook, toWebhookDto, updateWebhook } from './webhook.service.ts';

const tags = ['webhooks'];
const deliveryParams = z.object({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) });

/** `/api/v1/webhooks`: outgoing webhooks (admins only). */
export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', async (req) => requireRole(principalOf(req), 'admin'));

    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          summary:
            'Add an endpoint that receives the chosen events as signed POSTs (bodies under `webhooks` in this description). The signing secret is in this answer and never again.',
          body: createWebhookBody,
          response: {
            201: createdWebhookSchema,
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { row, secret } = await createWebhook(ctx, principalOf(req), req.body, req.ip);
        return reply.status(201).send({ ...toWebhookDto(row), secret });
      },
    );

    app.get(
      '/webhooks',
      {
        schema: {
          tags,
          summary: "The account's endpoints",
          response: { 200: z.object({ items: z.array(webhookSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const rows = await ctx.db.kysely
          .selectFrom('webhooks')
          .selectAll()
          .where('account_id', '=', principalOf(req).accountId)
          .where('bot_id', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        return { items: rows.map(toWebhookDto) };
      },
    );

    app.get(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'One endpoint',
          params: idParams,
          response: { 200: webhookSchema, ...errorResponses },
        },
      },
      async (req) => toWebhookDto(await loadWebhook(ctx, principalOf(req).accountId, req.params.id)),
    );

    app.patch(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary:
            'Change the URL or events, turn off or on (on also resumes an endpoint Switchboard paused)',
          params: idParams,
          body: updateWebhookBody,
          response: { 200: webhookSchema, ...errorResponses },
        },
      },
      async (req) =>
        toWebhookDto(await updateWebhook(ctx, principalOf(req), req.params.id, req.body, req.ip)),
    );

    app.delete(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Remove an endpoint with its delivery log; deliveries still waiting are not sent',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deleteWebhook(ctx, principalOf(req), req.params.id, req.ip);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: "The endpoint's delivery log, newest first (cursor pages)",
          params: idParams,
          querystring: pageQuery,
          response: {
            200: pageOf(webhookDeliverySchema),
            ...errorResponses,
          },
        },
      },
      async (req) => listDeliveries(ctx, principalOf(req).accountId, req.params.id, req.query),
    );

    app.get(
      '/webhooks/:id/deliveries/:deliveryId',
      {
        schema: {
          tags,
          summary: 'One delivery: the body sent and every attempt (request headers, answer status, timing)',
          params: deliveryParams,
          response: { 200: webhookDeliveryDetailSchema, ...errorResponses },
        },
      },
      async (req) => deliveryDetail(ctx, principalOf(req).accountId, req.params.id, req.params.deliveryId),
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          tags,
          summary:
            'Send a delivery again (same body and delivery id, retried for 24 h like a new one); 409 while it is still being tried',
          params: deliveryParams,
          response: { 202: webhookDeliverySchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const d = await redeliver(ctx, p, req.params.id, req.params.deliveryId, req.ip);
        return reply.status(202).send(d);
      },
    );
  };
