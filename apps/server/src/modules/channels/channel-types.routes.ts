import { type ChannelTypeDto, capOutboundMedia, channelTypesResponseSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { ChannelAdapter } from './channel-adapter.ts';
import { allAdapters } from './channel-registry.ts';
import { settingsFormOf } from './settings-form.ts';

/** A channel type as clients see it: media limits capped at this installation's MEDIA_MAX_BYTES. */
export function channelTypeDto(ctx: AppContext, a: ChannelAdapter): ChannelTypeDto {
  const caps = a.capabilities;
  return {
    type: a.type,
    label: a.label,
    providerName: a.providerName ?? null,
    consentScopeLabel: a.consentScopeLabel ?? a.label,
    capabilities: {
      ...caps,
      outbound: { ...caps.outbound, media: capOutboundMedia(caps.outbound.media, ctx.config.mediaMaxBytes) },
    },
    settingsForm: [...settingsFormOf(a.settingsSchema)],
  };
}

/** `GET /channel-types`: every channel type with its rules and its settings form. */
export const channelTypeRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/channel-types',
      {
        schema: {
          tags: ['channels'],
          summary: 'Channel types, their capabilities and settings forms',
          description:
            'What each channel type is and may do, as its adapter declares it: the messaging window and what may ' +
            'pass it (templates, tags, an opt-in), the consent scope, how customers are addressed (and whether ' +
            'contacts can be imported), what an outbound message may carry, which features exist, and the form ' +
            'for its settings (field, type, required, secret, labels in English and Russian). Any signed-in user.',
          response: { 200: channelTypesResponseSchema, ...errorResponses },
        },
      },
      async () => ({ items: allAdapters().map((a) => channelTypeDto(ctx, a)) }),
    );
  };
