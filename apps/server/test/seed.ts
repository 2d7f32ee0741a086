import type { RuntimeContext } from '../src/bootstrap.ts';
import { newId } from '../src/infra/crypto/ids.ts';
import { addMembership } from '../src/modules/accounts/account.service.ts';
import { hashPassword } from '../src/modules/auth/password.ts';

/** Test data builders that write rows directly (fast), for suites that are not about how rows get there. */
export async function seedUser(
  ctx: RuntimeContext,
  accountId: string,
  email: string,
  role: 'admin' | 'supervisor' | 'operator',
  password = 'operator-password',
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.db.kysely
    .insertInto('users')
    .values({
      id,
      account_id: accountId,
      email,
      name: email.split('@')[0]!,
      password_hash: await hashPassword(password),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await addMembership(ctx.db.kysely, accountId, id, role, now);
  return id;
}

export async function seedTeam(
  ctx: RuntimeContext,
  accountId: string,
  name: string,
  memberIds: string[],
): Promise<string> {
  const id = newId(ctx.clock.now());
  await ctx.db.kysely
    .insertInto('teams')
    .values({ id, account_id: accountId, name, created_at: ctx.clock.now() })
    .execute();
  for (const userId of memberIds) {
    await ctx.db.kysely
      .insertInto('team_members')
      .values({ team_id: id, user_id: userId, account_id: accountId })
      .execute();
  }
  return id;
}

/** A channel plus `n` conversations with one inbound message each, activity 1 s apart (oldest first). */
export async function seedConversations(
  ctx: RuntimeContext,
  accountId: string,
  n: number,
  opts: { teamId?: string | null; channelId?: string } = {},
): Promise<{ channelId: string; conversationIds: string[] }> {
  const k = ctx.db.kysely;
  const base = ctx.clock.now();
  const channelId =
    opts.channelId ??
    (await seedChannel(ctx, accountId, 'api', {
      name: 'Seeded',
      credentials: { secret: 'seed' },
      teamId: opts.teamId ?? null,
    }));
  const conversationIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = base + i * 1000;
    const contactId = newId(at);
    await k
      .insertInto('contacts')
      .values({
        id: contactId,
        account_id: accountId,
        name: `Customer ${i}`,
        phone: null,
        email: null,
        attributes: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await k
      .insertInto('contact_identities')
      .values({
        id: newId(at),
        account_id: accountId,
        contact_id: contactId,
        channel_id: channelId,
        external_id: `ext-${channelId}-${i}`,
        created_at: at,
      })
      .execute();
    const id = newId(at);
    await k
      .insertInto('conversations')
      .values({
        id,
        account_id: accountId,
        channel_id: channelId,
        contact_id: contactId,
        team_id: opts.teamId ?? null,
        assignee_id: null,
        status: 'open',
        priority: 'none',
        snoozed_until: null,
        last_inbound_at: at,
        last_outbound_at: null,
        last_activity_at: at,
        last_message_preview: `hello ${i}`,
        first_response_at: null,
        first_response_ms: null,
        resolved_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await k
      .insertInto('messages')
      .values({
        id: newId(at),
        account_id: accountId,
        conversation_id: id,
        channel_id: channelId,
        direction: 'in',
        author_kind: 'contact',
        author_id: contactId,
        content_kind: 'text',
        body: `hello ${i}`,
        private: 0,
        provider_message_id: `pm-${i}`,
        client_message_id: null,
        delivery_status: null,
        error_code: null,
        error_message: null,
        provider_ts: at,
        meta: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute();
    conversationIds.push(id);
  }
  return { channelId, conversationIds };
}

/** A channel row of any provider type, for paths that only look at the row (window, consent, merging). */
export async function seedChannel(
  ctx: RuntimeContext,
  accountId: string,
  type: string,
  opts: { name?: string; credentials?: Record<string, unknown>; teamId?: string | null } = {},
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.db.kysely
    .insertInto('channels')
    .values({
      id,
      account_id: accountId,
      type,
      name: opts.name ?? type,
      settings: '{}',
      credentials_enc: ctx.secrets.sealJson(opts.credentials ?? {}),
      team_id: opts.teamId ?? null,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
