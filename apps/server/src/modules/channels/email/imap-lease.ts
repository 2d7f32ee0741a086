import type { AppContext } from '../../../app-context.ts';

/**
 * The one IMAP connection per channel across the cluster: a row per channel in `email_mailboxes` whose
 * `holder` keeps it while `lease_until` is in the future. A node takes a free or expired lease with one
 * conditional UPDATE (atomic on both dialects), renews it while connected, and gives it back on a clean
 * stop; a node that dies simply stops renewing, and another takes over when the lease runs out.
 */
export async function ensureMailboxRow(ctx: AppContext, channelId: string, mailbox: string): Promise<void> {
  await ctx.db.kysely
    .insertInto('email_mailboxes')
    .values({
      channel_id: channelId,
      mailbox,
      uid_validity: null,
      last_uid: 0,
      holder: null,
      lease_until: 0,
      last_sync_at: null,
      last_error: null,
      updated_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .execute();
}

/** Takes (or renews) the lease; true when this holder has it until now + leaseMs. */
export async function acquireLease(
  ctx: AppContext,
  channelId: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const now = ctx.clock.now();
  const r = await ctx.db.kysely
    .updateTable('email_mailboxes')
    .set({ holder, lease_until: now + leaseMs, updated_at: now })
    .where('channel_id', '=', channelId)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('holder', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(ctx: AppContext, channelId: string, holder: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('email_mailboxes')
    .set({ holder: null, lease_until: 0, updated_at: ctx.clock.now() })
    .where('channel_id', '=', channelId)
    .where('holder', '=', holder)
    .execute();
}

export async function mailboxState(ctx: AppContext, channelId: string) {
  return ctx.db.kysely
    .selectFrom('email_mailboxes')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
}

/** Records progress, only while still the holder (a node that lost its lease writes nothing). */
export async function saveProgress(
  ctx: AppContext,
  channelId: string,
  holder: string,
  patch: { uid_validity?: string; last_uid?: number; last_error?: string | null },
): Promise<boolean> {
  const now = ctx.clock.now();
  const r = await ctx.db.kysely
    .updateTable('email_mailboxes')
    .set({ ...patch, last_sync_at: now, updated_at: now })
    .where('channel_id', '=', channelId)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
