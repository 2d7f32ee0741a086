import {
  BOT_EVENT_TYPES,
  type BotDto,
  type BotMenu,
  type createBotBody,
  type updateBotBody,
} from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row, RowUpdate } from '../../infra/db/schema.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { API_TOKEN_PREFIX } from '../auth/session.service.ts';
import type { Principal } from '../auth/principal.ts';
import { transact, type UnitOfWork } from '../events/unit-of-work.ts';
import { VISIBLE_PREFIX_LENGTH } from '../tokens/token.service.ts';
import { WEBHOOK_SECRET_PREFIX, assertDeliverable } from '../webhooks/webhook.service.ts';
import { handOff } from './handoff.service.ts';

type CreateBot = z.output<typeof createBotBody>;
type UpdateBot = z.output<typeof updateBotBody>;

export async function toBotDtos(k: Tx, rows: Row<'bots'>[]): Promise<BotDto[]> {
  const tokenIds = rows.flatMap((r) => (r.token_id ? [r.token_id] : []));
  const hookIds = rows.flatMap((r) => (r.webhook_id ? [r.webhook_id] : []));
  const tokens = tokenIds.length
    ? await k.selectFrom('api_tokens').select(['id', 'prefix']).where('id', 'in', tokenIds).execute()
    : [];
  const hooks = hookIds.length
    ? await k.selectFrom('webhooks').selectAll().where('id', 'in', hookIds).execute()
    : [];
  return rows.map((r) => {
    const hook = hooks.find((h) => h.id === r.webhook_id);
    return {
      id: r.id,
      name: r.name,
      kind: r.kind as BotDto['kind'],
      url: hook?.url ?? null,
      channelIds: JSON.parse(r.channel_ids) as string[],
      handoffKeywords: JSON.parse(r.handoff_keywords) as string[],
      replyTimeoutSeconds: r.reply_timeout_s,
      active: r.active === 1,
      menu: r.menu ? (JSON.parse(r.menu) as BotMenu) : null,
      tokenPrefix: tokens.find((t) => t.id === r.token_id)?.prefix ?? null,
      delivery: hook
        ? {
            active: hook.active === 1,
            pausedAt: hook.paused_at,
            pauseReason:
              hook.pause_reason && hook.paused_at
                ? { code: hook.pause_reason as 'failing_for_24h', message: hook.pause_detail ?? '' }
                : null,
            lastSuccessAt: hook.last_success_at,
            lastFailureAt: hook.last_failure_at,
          }
        : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function loadBot(k: Tx, accountId: string, id: string): Promise<Row<'bots'>> {
  const row = await k
    .selectFrom('bots')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Bot');
  return row;
}

/** Channels of this account, each given to no other active bot (a new conversation needs one owner). */
async function checkChannels(k: Tx, accountId: string, channelIds: string[], botId: string | null) {
  const ids = [...new Set(channelIds)];
  if (!ids.length) return ids;
  const found = await k
    .selectFrom('channels')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  const missing = ids.find((id) => !found.some((f) => f.id === id));
  if (missing) throw new DomainError('validation_error', `channelIds: no channel ${missing} in this account`);
  const others = await k
    .selectFrom('bots')
    .select(['id', 'name', 'channel_ids'])
    .where('account_id', '=', accountId)
    .where('active', '=', 1)
    .$if(botId !== null, (q) => q.where('id', '!=', botId!))
    .execute();
  for (const o of others) {
    const taken = (JSON.parse(o.channel_ids) as string[]).find((c) => ids.includes(c));
    if (taken)
      throw new DomainError('conflict', `channelIds: channel ${taken} already has the bot "${o.name}"`);
  }
  return ids;
}

async function checkMenu(k: Tx, accountId: string, menu: BotMenu | undefined): Promise<void> {
  for (const [i, o] of (menu?.options ?? []).entries()) {
    const at = `menu.options.${i}`;
    if (o.action === 'reply' && !o.reply) throw new DomainError('validation_error', `${at}.reply: required`);
    if (o.action === 'label' && !o.label) throw new DomainError('validation_error', `${at}.label: required`);
    if (o.action === 'team') {
      if (!o.teamId) throw new DomainError('validation_error', `${at}.teamId: required`);
      const t = await k
        .selectFrom('teams')
        .select('id')
        .where('id', '=', o.teamId)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!t) throw new DomainError('validation_error', `${at}.teamId: no such team in this account`);
    }
  }
}

/** A new bot; an agent bot's token and signing secret exist only in this return value. */
export async function createBot(
  ctx: AppContext,
  p: Principal,
  body: CreateBot,
  ip: string,
): Promise<{ row: Row<'bots'>; token: string | null; secret: string | null }> {
  const k = ctx.db.kysely;
  const now = ctx.clock.now();
  const url = body.kind === 'agent' ? await assertDeliverable(ctx, body.url!) : null;
  await checkMenu(k, p.accountId, body.menu);
  const id = newId(now);
  const token = body.kind === 'agent' ? `${API_TOKEN_PREFIX}${randomToken(32)}` : null;
  const secret = body.kind === 'agent' ? `${WEBHOOK_SECRET_PREFIX}${randomToken(32)}` : null;
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const channelIds = body.active
      ? await checkChannels(tx, p.accountId, body.channelIds, null)
      : body.channelIds;
    let tokenId: string | null = null;
    let webhookId: string | null = null;
    if (token && secret && url) {
      tokenId = newId(now);
      await tx
        .insertInto('api_tokens')
        .values({
          id: tokenId,
          account_id: p.accountId,
          user_id: p.userId,
          name: `bot: ${body.name}`,
          token_hash: hashToken(token),
          prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
          created_at: now,
          last_used_at: null,
          revoked_at: null,
          expires_at: null,
          scope: 'write',
          bot_id: id,
        })
        .execute();
      webhookId = newId(now);
      await tx
        .insertInto('webhooks')
        .values({
          id: webhookId,
          account_id: p.accountId,
          url,
          events: JSON.stringify(BOT_EVENT_TYPES),
          active: body.active ? 1 : 0,
          secret: ctx.secrets.seal(secret),
          created_by: p.userId,
          paused_at: null,
          pause_reason: null,
          pause_detail: null,
          refused_in_a_row: 0,
          last_success_at: null,
          last_failure_at: null,
          created_at: now,
          updated_at: now,
          bot_id: id,
        })
        .execute();
    }
    const row: Row<'bots'> = {
      id,
      account_id: p.accountId,
      name: body.name,
      kind: body.kind,
      webhook_id: webhookId,
      token_id: tokenId,
      channel_ids: JSON.stringify(channelIds),
      handoff_keywords: JSON.stringify(body.handoffKeywords),
      reply_timeout_s: body.replyTimeoutSeconds,
      menu: body.menu ? JSON.stringify(body.menu) : null,
      active: body.active ? 1 : 0,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('bots').values(row).execute();
    await audit(ctx, tx, p, {
      action: 'bot.created',
      targetType: 'bot',
      targetId: id,
      details: { name: body.name, kind: body.kind, url, channelIds },
      ip,
    });
    return { row, token, secret };
  });
}

export async function updateBot(
  ctx: AppContext,
  p: Principal,
  id: string,
  body: UpdateBot,
  ip: string,
): Promise<Row<'bots'>> {
  const k = ctx.db.kysely;
  const bot = await loadBot(k, p.accountId, id);
  if (body.url !== undefined && bot.kind !== 'agent')
    throw new DomainError('validation_error', 'url: only an agent bot has a URL');
  if (body.menu !== undefined && bot.kind !== 'menu')
    throw new DomainError('validation_error', 'menu: only a menu bot has a menu');
  const url = body.url !== undefined ? await assertDeliverable(ctx, body.url) : undefined;
  await checkMenu(k, p.accountId, body.menu);
  const now = ctx.clock.now();
  await transact(ctx, async (uow) => {
    const tx = uow.tx;
    const active = body.active ?? bot.active === 1;
    const channelIds = body.channelIds ?? (JSON.parse(bot.channel_ids) as string[]);
    if (active) await checkChannels(tx, p.accountId, channelIds, id);
    const patch: RowUpdate<'bots'> = {
      updated_at: now,
      channel_ids: JSON.stringify([...new Set(channelIds)]),
    };
    if (body.name !== undefined) patch.name = body.name;
    if (body.handoffKeywords !== undefined) patch.handoff_keywords = JSON.stringify(body.handoffKeywords);
    if (body.replyTimeoutSeconds !== undefined) patch.reply_timeout_s = body.replyTimeoutSeconds;
    if (body.menu !== undefined) patch.menu = JSON.stringify(body.menu);
    if (body.active !== undefined) patch.active = body.active ? 1 : 0;
    await tx.updateTable('bots').set(patch).where('id', '=', id).execute();
    if (bot.webhook_id && (url !== undefined || body.active !== undefined)) {
      await tx
        .updateTable('webhooks')
        .set({
          updated_at: now,
          ...(url !== undefined ? { url } : {}),
          // Turning the bot on again also resumes a delivery Switchboard paused.
          ...(body.active !== undefined
            ? body.active
              ? { active: 1, paused_at: null, pause_reason: null, pause_detail: null, refused_in_a_row: 0 }
              : { active: 0 }
            : {}),
        })
        .where('id', '=', bot.webhook_id)
        .execute();
    }
    // Turned off: what it holds goes to people now rather than waiting for its timeout.
    if (body.active === false && bot.active === 1) await releaseHeld(ctx, uow, bot);
    await audit(ctx, tx, p, { action: 'bot.updated', targetType: 'bot', targetId: id, details: body, ip });
  });
  return loadBot(k, p.accountId, id);
}

export async function deleteBot(ctx: AppContext, p: Principal, id: string, ip: string): Promise<void> {
  const bot = await loadBot(ctx.db.kysely, p.accountId, id);
  await transact(ctx, async (uow) => {
    const tx = uow.tx;
    await releaseHeld(ctx, uow, bot);
    if (bot.token_id)
      await tx
        .updateTable('api_tokens')
        .set({ revoked_at: ctx.clock.now() })
        .where('id', '=', bot.token_id)
        .execute();
    if (bot.webhook_id) {
      const deliveries = tx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', '=', bot.webhook_id);
      await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
      await tx.deleteFrom('webhook_deliveries').where('webhook_id', '=', bot.webhook_id).execute();
      await tx.deleteFrom('webhooks').where('id', '=', bot.webhook_id).execute();
    }
    await tx.deleteFrom('bot_sessions').where('bot_id', '=', id).where('ended_at', 'is', null).execute();
    await tx.deleteFrom('bots').where('id', '=', id).execute();
    await audit(ctx, tx, p, {
      action: 'bot.deleted',
      targetType: 'bot',
      targetId: id,
      details: { name: bot.name },
      ip,
    });
  });
}

/** Every conversation the bot holds goes to people. */
async function releaseHeld(ctx: AppContext, uow: UnitOfWork, bot: Row<'bots'>): Promise<void> {
  const held = await uow.tx
    .selectFrom('conversations as c')
    .innerJoin('bot_sessions as s', 's.conversation_id', 'c.id')
    .selectAll('c')
    .where('s.bot_id', '=', bot.id)
    .where('s.ended_at', 'is', null)
    .where('c.status', '=', 'bot')
    .execute();
  for (const conv of held)
    await handOff(ctx, uow, conv, { reason: 'bot_removed', author: { kind: 'bot', id: bot.id } });
}
