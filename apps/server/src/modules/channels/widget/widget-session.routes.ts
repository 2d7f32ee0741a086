import { widgetConfigSchema, widgetSessionBody, widgetSessionSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { randomToken } from '../../../infra/crypto/ids.ts';
import { AppError } from '../../../http/errors.ts';
import { errorResponses } from '../../../http/schemas.ts';
import {
  type VisitorClaims,
  identityHashValid,
  signVisitorToken,
  verifyVisitorToken,
} from './visitor-token.ts';
import { PER_IP, channelParams, perIp, security, tags, uploadLimit, widgetAccess } from './widget-access.ts';
import { widgetAvailability } from './widget-center.ts';

/** What a page shows before the visitor writes (texts, colours, online state) and the visitor's session. */
export const widgetSessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const secret = ctx.config.secret;
    const { channelFor } = widgetAccess(ctx);

    app.get(
      '/:channelId/config',
      {
        config: perIp(PER_IP.pageView),
        schema: {
          tags,
          security,
          summary: 'What the widget shows before anything else: texts, colours, pre-chat form, online state',
          params: channelParams,
          response: {
            200: widgetConfigSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { row, settings } = await channelFor(req, req.params.channelId);
        const availability = await widgetAvailability(ctx, row).catch((err) => {
          req.log.warn({ err }, 'widget: center state unavailable');
          return null;
        });
        return {
          channelId: row.id,
          name: row.name,
          title: settings.title as Record<string, string>,
          welcome: settings.welcome as Record<string, string>,
          color: settings.color,
          position: settings.position,
          preChatForm: settings.preChatForm,
          requireIdentity: settings.requireIdentity,
          maxUploadBytes: uploadLimit(ctx, settings),
          online: availability?.online ?? null,
          offlineReason: availability && !availability.online ? availability.reason : null,
          nextOpenAt: availability?.nextOpenAt ?? null,
        };
      },
    );

    app.post(
      '/:channelId/session',
      {
        config: perIp(PER_IP.pageView),
        bodyLimit: 16_384,
        schema: {
          tags,
          security,
          summary:
            'Start or resume a visitor session. With userId + userHash (hex HMAC-SHA256 of userId with the ' +
            "channel's identity secret) the visitor is that user on every device; a wrong hash is refused.",
          params: channelParams,
          body: widgetSessionBody,
          response: {
            200: widgetSessionSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { row, settings } = await channelFor(req, req.params.channelId);
        const b = req.body;
        const held = b.token ? verifyVisitorToken(secret, b.token, row.id) : null;
        let externalId: string;
        if (b.userId !== undefined) {
          const identitySecret = ctx.secrets.openJson<Record<string, string>>(
            row.credentials_enc,
          ).identitySecret;
          if (!identitySecret || !b.userHash || !identityHashValid(identitySecret, b.userId, b.userHash)) {
            throw new AppError('invalid_signature', 'The user hash does not match this user id');
          }
          externalId = `u:${b.userId}`;
        } else if (held) {
          externalId = held.v;
        } else {
          if (settings.requireIdentity) {
            throw new AppError('unauthorized', 'This chat is available to signed-in users only');
          }
          externalId = `a:${randomToken(18)}`;
        }
        const keep = held?.v === externalId ? held : undefined;
        const pick = (given: string | undefined, old: string | undefined) =>
          given !== undefined && given !== '' ? given : old;
        const claims: VisitorClaims = {
          c: row.id,
          v: externalId,
          n: pick(b.name, keep?.n),
          e: pick(b.email, keep?.e),
          p: pick(b.phone, keep?.p),
          iat: ctx.clock.now(),
        };
        return {
          token: signVisitorToken(secret, claims),
          visitorId: externalId,
          identified: externalId.startsWith('u:'),
          profile: { name: claims.n ?? null, email: claims.e ?? null, phone: claims.p ?? null },
        };
      },
    );
  };
