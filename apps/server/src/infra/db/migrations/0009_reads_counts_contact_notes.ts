import type { Kysely } from 'kysely';

/**
 * Per-operator read markers, an index for the inbox's view counts, and contact labels and notes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'bigint' as const;

  // How far each operator has read each conversation: the newest message seen, as the message list's
  // order key (created_at, id), so "unread" is exactly the customer messages after it.
  await db.schema
    .createTable('conversation_reads')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('last_read_at', ts, (c) => c.notNull())
    .addColumn('last_read_message_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pk', ['user_id', 'conversation_id'])
    .execute();

  // The counts endpoint groups every visible conversation by these columns; with all of them in one
  // index the count reads the index alone, never the (wide) conversation rows.
  await db.schema
    .createIndex('conversations_counts_idx')
    .on('conversations')
    .columns(['account_id', 'status', 'team_id', 'channel_id', 'assignee_id'])
    .execute();

  await db.schema
    .createTable('contact_labels')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_labels_pk', ['contact_id', 'label'])
    .execute();
  // Filter by label and label autocomplete (prefix) within an account.
  await db.schema
    .createIndex('contact_labels_label_idx')
    .on('contact_labels')
    .columns(['account_id', 'label'])
    .execute();

  await db.schema
    .createTable('contact_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_notes_contact_idx')
    .on('contact_notes')
    .columns(['contact_id', 'created_at', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible');
}
