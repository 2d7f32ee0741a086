import type { Kysely } from 'kysely';

/**
 * Automation rules (modules/automation): the rules in their evaluation order, one log row per run of a
 * rule (unique per rule and trigger, so a replayed job never applies a rule twice for the same event),
 * the anchors of time-based rules (a scheduled job whose anchor is no longer current is stale) and the
 * conversations whose automation is muted until a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('automation_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('match', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('delay_minutes', 'integer')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('webhook_secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automation_rules_account_event')
    .on('automation_rules')
    .columns(['account_id', 'event', 'position'])
    .execute();
  await db.schema
    .createTable('automation_executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('trigger_key', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automation_executions_trigger')
    .on('automation_executions')
    .columns(['rule_id', 'trigger_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('automation_executions_rule')
    .on('automation_executions')
    .columns(['rule_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('automation_executions_conversation')
    .on('automation_executions')
    .columns(['conversation_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('automation_timers')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('anchor_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_timers_pk', ['rule_id', 'conversation_id'])
    .execute();
  await db.schema
    .createTable('automation_mutes')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('automation_mutes').execute();
  await db.schema.dropTable('automation_timers').execute();
  await db.schema.dropTable('automation_executions').execute();
  await db.schema.dropTable('automation_rules').execute();
}
