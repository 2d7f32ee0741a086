import type { Kysely } from 'kysely';

/**
 * The account switcher and the presence an operator signs in with.
 * `proven_accounts` (JSON, on sessions and on pending two-factor logins) lists the other accounts whose
 * user this session's password opened at sign-in — account, user and a fingerprint of that user's
 * password hash — so the console can switch between them without asking for the password again, and only
 * while that password is still the user's (a change or reset there drops the account from the list).
 * `sign_in_availability`: what an operator's presence becomes when they sign in (`unchanged` keeps it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('proven_accounts', 'text').execute();
  await db.schema.alterTable('login_challenges').addColumn('proven_accounts', 'text').execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('sign_in_availability', 'text', (c) => c.notNull().defaultTo('online'))
    .execute();
}
