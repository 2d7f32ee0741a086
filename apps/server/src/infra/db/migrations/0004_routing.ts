import type { Kysely } from 'kysely';

/**
 * Routing: working-hours schedules, per-channel routing settings (window, assignment, automatic
 * messages), the admin's center override, assignment history, automatic-message throttling and the
 * log of sends refused by the messaging-window rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'bigint' as const;

  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('weekly', 'text', (c) => c.notNull())
    .addColumn('exceptions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedules_account_idx').on('schedules').column('account_id').execute();

  await db.schema
    .createTable('channel_routing')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('schedule_id', 'text', (c) => c.references('schedules.id'))
    .addColumn('assignment_mode', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_routing_schedule_idx')
    .on('channel_routing')
    .column('schedule_id')
    .execute();

  await db.schema
    .createTable('center_status')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('conversation_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text')
    .addColumn('previous_user_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  // Round-robin asks "which operator got a conversation longest ago": an index-only max(id) (UUIDv7).
  await db.schema
    .createIndex('conversation_assignments_user_idx')
    .on('conversation_assignments')
    .columns(['account_id', 'user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('conversation_assignments_conv_idx')
    .on('conversation_assignments')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('automatic_message_log')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('automatic_message_log_pk', ['contact_id', 'kind'])
    .execute();

  await db.schema
    .createTable('refused_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('window_closed_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('refused_sends_account_idx')
    .on('refused_sends')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('refused_sends_conversation_idx')
    .on('refused_sends')
    .column('conversation_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'refused_sends',
    'automatic_message_log',
    'conversation_assignments',
    'center_status',
    'channel_routing',
    'schedules',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
