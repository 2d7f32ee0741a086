import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { jsonTooDeep, looksLikeJson } from '../../http/json-depth.ts';
import { tooDeep } from '../../http/request-hygiene.ts';
import { connectingChannel } from '../channels/activation-probe.ts';
import type {
  ChannelAdapter,
  ChannelRuntime,
  WebhookRequest,
  WebhookResult,
} from '../channels/channel-adapter.ts';
import { adapterForWebhookSegment } from '../channels/channel-registry.ts';
import { markWebhookSeen } from '../channels/channel-health.ts';
import { findChannel } from '../channels/channel.service.ts';
import { storeProviderEvents } from './inbound-store.ts';

/** The adapter's handling, a refused signature answered with the status its provider expects. */
function verifiedWebhook(
  adapter: ChannelAdapter,
  req: WebhookRequest,
  channel: ChannelRuntime,
): WebhookResult {
  try {
    return adapter.handleWebhook(req, channel);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'invalid_signature' && adapter.signatureRefusedStatus)
      throw new AppError(err.code, err.message, err.details, adapter.signatureRefusedStatus);
    throw err;
  }
}

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
        const adapter = adapterForWebhookSegment(type);
        if (!adapter) throw notFound('Channel');
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        // Before any adapter parses it: a JSON body nested thousands deep would overflow the stack of
        // whatever walks it recursively (validation, JSON.stringify when it is stored).
        if (looksLikeJson(rawBody) && jsonTooDeep(rawBody)) throw tooDeep();
        const request = {
          method: req.method,
          headers: req.headers,
          query: req.query,
          rawBody,
          url: `${ctx.config.publicUrl ?? `${req.protocol}://${req.host}`}${req.url}`,
          receivedAt: ctx.clock.now(),
        };
        // A missing channel is a 404; a database outage must stay a 503 so the provider retries.
        const found = await findChannel(ctx, channelId);
        if (!found || found.row.type !== adapter.type || found.row.active !== 1) {
          // The provider's check of a webhook while the channel is being connected (Viber's probe).
          const connecting = connectingChannel(channelId);
          if (!connecting || connecting.type !== adapter.type) throw notFound('Channel');
          const probe = verifiedWebhook(adapter, request, connecting);
          if (probe.events.length > 0)
            throw new AppError('service_unavailable', 'The channel is being connected; try again shortly');
          return reply.status(probe.response.status).send(probe.response.body ?? '');
        }
        const { row, runtime } = found;
        const result = verifiedWebhook(adapter, request, runtime);
        await storeProviderEvents(ctx, row, result.events);
        // Only an authentic request gets here (a bad signature or verify token threw above).
        await markWebhookSeen(ctx, row);
        const res = result.response;
        if (res.contentType) reply.type(res.contentType);
        return reply.status(res.status).send(res.body ?? '');
      },
    });
  };
