import type { Kysely } from 'kysely';

/**
 * Indexes for the inbox's filtered views, each ending in the list's order (last activity, id), so a page of
 * "open", "one channel" or "one operator's" conversations is read straight off an index at any size instead
 * of filtering the whole account's conversations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('conversations_status_activity_idx')
    .on('conversations')
    .columns(['account_id', 'status', 'last_activity_at', 'id'])
    .execute();
  await db.schema
    .createIndex('conversations_channel_activity_idx')
    .on('conversations')
    .columns(['account_id', 'channel_id', 'last_activity_at', 'id'])
    .execute();
  await db.schema
    .createIndex('conversations_assignee_activity_idx')
    .on('conversations')
    .columns(['account_id', 'assignee_id', 'last_activity_at', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible');
}
