import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { DomainError, forbidden, notFound } from '../../../lib/domain-error.ts';
import { verifyVisitorToken } from './visitor-token.ts';
import { type WidgetSettings, originAllowed, widgetSettingsOf } from './widget-settings.ts';
import type { Visitor } from './widget-visitor.service.ts';

/** What the visitor routes share: the token header, limits, OpenAPI tags and the channel/visitor lookup. */

export const VISITOR_TOKEN_HEADER = 'x-visitor-token';

/**
 * Requests per minute from one IP address. Generous: a whole office (or every visitor, when Switchboard
 * sits behind a proxy that is not trusted for X-Forwarded-For) may share one address, and every page
 * view loads the config and resumes the session. The per-visitor limits of the route files are the tight ones.
 */
export const PER_IP = { pageView: 600, read: 600, write: 300, upload: 60 };

export const perIp = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

export const channelParams = z.object({ channelId: z.string().min(1).max(64) });
export const tags = ['widget (visitors)'];
export const security: never[] = [];

/** The largest file a visitor may send in this chat. */
export const uploadLimit = (ctx: AppContext, s: WidgetSettings) =>
  Math.min(s.maxUploadBytes, ctx.config.mediaMaxBytes);

/** Finds the chat a request is for (active, and enabled on the calling site) and, with a token, its visitor. */
export function widgetAccess(ctx: AppContext) {
  const k = ctx.db.kysely;
  const secret = ctx.config.secret;
  async function channelFor(req: FastifyRequest, channelId: string) {
    const row = await k
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channelId)
      .where('type', '=', 'widget')
      .executeTakeFirst();
    if (row?.active !== 1) throw notFound('Chat');
    const settings = widgetSettingsOf(JSON.parse(row.settings));
    // Not a barrier against scripts (they can send any Origin); it keeps the chat off other sites.
    if (!originAllowed(settings, req.headers.origin))
      throw forbidden('This chat is not enabled on this site');
    return { row, settings };
  }

  async function visitorFor(req: FastifyRequest, channelId: string) {
    const c = await channelFor(req, channelId);
    const token = req.headers[VISITOR_TOKEN_HEADER];
    const claims = typeof token === 'string' ? verifyVisitorToken(secret, token, c.row.id) : null;
    if (!claims)
      throw new DomainError('unauthorized', 'Missing or invalid visitor token; start a session first');
    const visitor: Visitor = { channel: c.row, externalId: claims.v };
    return { ...c, claims, visitor };
  }

  return { channelFor, visitorFor };
}
