import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { markWebhookSeen } from '../channel-health.ts';
import { loadChannel } from '../channel.service.ts';
import { ingestMail } from './email-ingest.ts';
import { emailSettingsOf } from './email-settings.ts';
import { parseMime } from './email-mime.ts';
import { type WebhookMail, type WebhookMime, mailgunMail, postmarkMail } from './email-webhook.ts';

const DAY_MS = 86_400_000;
/** Mail with attachments is large: more than the JSON API's body limit. */
const MAIL_BODY_LIMIT = 40 * 1024 * 1024;

/**
 * Mailgun refuses nothing twice: a token it signed is good once. The same bytes again (a redelivery) are
 * acknowledged without effect; other bytes under a seen token are a replay and refused.
 */
async function claimToken(ctx: AppContext, channelId: string, token: string, body: Buffer): Promise<void> {
  const now = ctx.clock.now();
  const sha = createHash('sha256').update(body).digest('hex');
  const k = ctx.db.kysely;
  await k
    .deleteFrom('email_webhook_tokens')
    .where('seen_at', '<', now - DAY_MS)
    .execute();
  const ins = await k
    .insertInto('email_webhook_tokens')
    .values({ channel_id: channelId, token, body_sha256: sha, seen_at: now })
    .onConflict((oc) => oc.columns(['channel_id', 'token']).doNothing())
    .executeTakeFirst();
  if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 1) return;
  const seen = await k
    .selectFrom('email_webhook_tokens')
    .select('body_sha256')
    .where('channel_id', '=', channelId)
    .where('token', '=', token)
    .executeTakeFirst();
  if (seen?.body_sha256 !== sha)
    throw new AppError('invalid_signature', 'This Mailgun token was already used', undefined, 401);
}

/**
 * `POST /webhooks/email/:channelId`: inbound parse webhooks (Mailgun routes, Postmark inbound) of e-mail
 * channels whose `inbound` is `mailgun` or `postmark`. Verified on the raw bytes, files stored, the mail
 * committed as a provider event before the answer, like every channel's webhook.
 */
export const emailWebhookRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAIL_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    app.post<{ Params: { channelId: string } }>(
      '/webhooks/email/:channelId',
      { config: { public: true }, schema: { hide: true }, bodyLimit: MAIL_BODY_LIMIT },
      async (req, reply) => {
        const { row, runtime } = await loadChannel(ctx, req.params.channelId);
        if (row.type !== 'email' || row.active !== 1) throw notFound('Channel');
        const inbound = emailSettingsOf(runtime.settings).inbound;
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const request = { method: req.method, headers: req.headers, query: {}, rawBody };
        let mail: WebhookMail | WebhookMime;
        if (inbound === 'mailgun') mail = mailgunMail(request, runtime, ctx.clock.now());
        else if (inbound === 'postmark') mail = postmarkMail(request, runtime);
        else
          throw new AppError(
            'not_found',
            'This channel reads its mail over IMAP; it has no webhook',
            undefined,
            404,
          );
        if (mail.replayToken) await claimToken(ctx, row.id, mail.replayToken, rawBody);
        if ('mime' in mail) {
          const recipients = mail.recipient ? [mail.recipient] : [];
          await ingestMail(ctx, row, await parseMime(mail.mime, 'mailgun', recipients));
        } else await ingestMail(ctx, row, mail);
        await markWebhookSeen(ctx, row);
        return reply.status(200).send({ ok: true });
      },
    );
  };
