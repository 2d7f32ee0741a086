import type { Kysely } from 'kysely';

/**
 * SLA policies and their targets (docs/metrics.md, "SLA"): the policies an admin keeps, one row per
 * target a conversation ran against (running, met or breached: the live state and the report rollup at
 * once), and the nearest running target on the conversation row so the inbox can sort and filter by it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('first_response_seconds', 'integer')
    .addColumn('next_response_seconds', 'integer')
    .addColumn('resolution_seconds', 'integer')
    .addColumn('business_hours', 'integer', (c) => c.notNull())
    .addColumn('applies_to', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sla_policies_account_idx')
    .on('sla_policies')
    .columns(['account_id', 'position'])
    .execute();

  await db.schema
    .createTable('sla_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    // No foreign key: a deleted policy keeps its history in the reports.
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('breach_emitted', 'integer', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('user_id', 'text')
    .execute();
  // One target per conversation, cycle, metric and start: a replayed fact finds it.
  await db.schema
    .createIndex('sla_targets_uq')
    .unique()
    .on('sla_targets')
    .columns(['conversation_id', 'cycle', 'metric', 'started_at'])
    .execute();
  await db.schema
    .createIndex('sla_targets_decided_idx')
    .on('sla_targets')
    .columns(['account_id', 'decided_at', 'outcome', 'policy_id'])
    .execute();

  await db.schema.alterTable('conversations').addColumn('sla_policy_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('sla_metric', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('sla_due_at', 'bigint').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('sla_breached', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('conversations_sla_due_idx')
    .on('conversations')
    .columns(['account_id', 'sla_due_at'])
    .execute();
}
