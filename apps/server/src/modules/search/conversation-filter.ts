import type { ConversationFilter } from '@switchboard/shared';
import { type RawBuilder, sql } from 'kysely';

/** True when any filter narrows conversations (contacts alone cannot satisfy such a search). */
export function narrowsConversations(f: ConversationFilter): boolean {
  return Boolean(f.status || f.assignee || f.team || f.channel || f.contact || f.label);
}

/**
 * SQL conditions on a conversations row aliased `c`. `teams` limits an operator to unassigned-team
 * conversations and those of their teams (undefined: the whole account).
 */
export function conversationConditions(
  f: ConversationFilter,
  userId: string | null,
  teams: string[] | undefined,
): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (teams) {
    out.push(
      teams.length
        ? sql<boolean>`(c.team_id is null or c.team_id in (${sql.join(teams)}))`
        : sql<boolean>`c.team_id is null`,
    );
  }
  if (f.status) out.push(sql<boolean>`c.status = ${f.status}`);
  if (f.assignee === 'me') out.push(sql<boolean>`c.assignee_id = ${userId ?? ''}`);
  else if (f.assignee === 'none') out.push(sql<boolean>`c.assignee_id is null`);
  else if (f.assignee) out.push(sql<boolean>`c.assignee_id = ${f.assignee}`);
  if (f.team) out.push(sql<boolean>`c.team_id = ${f.team}`);
  if (f.channel) out.push(sql<boolean>`c.channel_id = ${f.channel}`);
  if (f.contact) out.push(sql<boolean>`c.contact_id = ${f.contact}`);
  if (f.label) {
    out.push(
      sql<boolean>`exists (select 1 from conversation_labels l where l.conversation_id = c.id and l.label = ${f.label})`,
    );
  }
  return out;
}
