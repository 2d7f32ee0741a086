import type { RuntimeContext } from './bootstrap.ts';

/** What `switchboard create-admin` looks like, with placeholders a person replaces. */
export const FIRST_ADMIN_COMMAND =
  'npx switchboard create-admin --email you@example.com --password \'a-long-password\' --account "Your business"';

/**
 * What a person who just ran `npm start` needs to read: where the console is, and, while the database has
 * no user at all, the command that creates the first admin (the console has no sign-up page).
 */
export async function startNotes(ctx: RuntimeContext, port: number): Promise<string[]> {
  const url = `${ctx.config.publicUrl ?? `http://localhost:${port}`}/`;
  const notes = [`Console: ${url}`];
  const anyUser = await ctx.db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!anyUser)
    notes.push(`No admin yet. Create the first one, then sign in at ${url}: ${FIRST_ADMIN_COMMAND}`);
  return notes;
}
