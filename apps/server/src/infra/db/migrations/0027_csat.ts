import type { Kysely } from 'kysely';

/**
 * Customer satisfaction: per-channel survey settings, one survey per resolution (sent or skipped, with
 * the answer), and the report rollup of answered surveys (docs/metrics.md, "CSAT").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('csat_settings')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('question_en', 'text')
    .addColumn('question_ru', 'text')
    .addColumn('window_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('csat_surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    // The resolution it follows: one survey per resolution, whichever worker runs the job.
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('comment', 'text')
    .addColumn('rated_at', 'bigint')
    .addColumn('commented_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('csat_surveys_resolution_uq')
    .unique()
    .on('csat_surveys')
    .columns(['conversation_id', 'resolved_at'])
    .execute();
  // The answer lookup: the contact's open survey on the channel an inbound message came in on.
  await db.schema
    .createIndex('csat_surveys_pending_idx')
    .on('csat_surveys')
    .columns(['contact_id', 'channel_id', 'expires_at'])
    .execute();

  await db.schema
    .createTable('report_csat')
    .addColumn('survey_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_csat_range_idx')
    .on('report_csat')
    .columns(['account_id', 'at', 'rating', 'channel_id', 'user_id', 'team_id'])
    .execute();
  await db.schema
    .createIndex('report_csat_conversation_idx')
    .on('report_csat')
    .column('conversation_id')
    .execute();
}
