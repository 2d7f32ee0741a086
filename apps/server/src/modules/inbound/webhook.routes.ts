import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { notFound } from '../../http/errors.ts';
import { adapterFor, channelTypes } from '../channels/channel-registry.ts';
import { loadChannel } from '../channels/channel.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { INBOUND_JOB } from './process-inbound.job.ts';

/**
 * `/webhooks/<type>/<channelId>`. The body is kept as raw bytes for signature checks; each provider
 * event is committed (unique per channel: retries are skipped) with its processing job before we answer.
 */
export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.route<{
      Params: { type: string; channelId: string };
      Querystring: Record<string, string | undefined>;
    }>({
      method: ['GET', 'POST'],
      url: '/:type/:channelId',
      config: { public: true },
      schema: { hide: true },
      handler: async (req, reply) => {
        const { type, channelId } = req.params;
        if (!channelTypes().includes(type)) throw notFound('Channel');
        // A missing channel is a 404; a database outage must stay a 503 so the provider retries.
        const { row, runtime } = await loadChannel(ctx, channelId);
        if (row.type !== type || row.active !== 1) throw notFound('Channel');
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const result = adapterFor(type).handleWebhook(
          { method: req.method, headers: req.headers, query: req.query, rawBody },
          runtime,
        );
        if (result.events.length > 0) {
          const now = ctx.clock.now();
          await transact(ctx, async (uow) => {
            for (const ev of result.events) {
              const id = newId(now);
              const ins = await uow.tx
                .insertInto('inbound_events')
                .values({
                  id,
                  account_id: row.account_id,
                  channel_id: row.id,
                  provider_event_id: ev.providerEventId,
                  payload: JSON.stringify(ev.payload),
                  received_at: now,
                  processed_at: null,
                })
                .onConflict((oc) => oc.columns(['channel_id', 'provider_event_id']).doNothing())
                .executeTakeFirst();
              // A provider retry of an event we already hold: acknowledge again, store nothing.
              if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) continue;
              await uow.enqueue({
                type: INBOUND_JOB,
                payload: { inboundEventId: id },
                accountId: row.account_id,
                orderKey: ev.orderKey === undefined ? undefined : `in:${row.id}:${ev.orderKey}`,
              });
            }
          });
        }
        const res = result.response;
        if (res.contentType) reply.type(res.contentType);
        return reply.status(res.status).send(res.body ?? '');
      },
    });
  };
