import {
  type ConversationFilter,
  type InboxFilterQuery,
  SLA_DUE_SOON_MS,
  type SlaState,
} from '@switchboard/shared';
import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { attributeConditions } from '../attributes/attribute-filter.ts';
import { loadDefinitions } from '../attributes/attribute-values.ts';
import { conversationConditions } from '../search/conversation-filter.ts';

/** The conversation list's filters (GET /conversations, its counts and exports). */
export type ListFilter = Omit<ConversationFilter, 'from' | 'to'> & InboxFilterQuery;

export interface FilterScope {
  accountId: string;
  /** Whose "assignee: me" (null: nobody's, as for the export CLI). */
  userId: string | null;
  /** Teams an operator is limited to; undefined: the whole account. */
  teams: string[] | undefined;
}

/**
 * SQL conditions on a conversations row aliased `c` for the list's filters. The list, the option
 * counts and exports all filter through here, so they always agree on which conversations match.
 * Throws validation_error for an attribute filter that does not fit its definition.
 */
export async function listFilterConditions(
  ctx: AppContext,
  scope: FilterScope,
  f: ListFilter,
  now: number,
): Promise<RawBuilder<boolean>[]> {
  const out = conversationConditions(f, scope.userId, scope.teams);
  if (f.attribute?.length) {
    const defs = await loadDefinitions(ctx.db.kysely, scope.accountId, 'conversation');
    out.push(...attributeConditions(ctx.db.dialect, 'c.attributes', f.attribute, defs));
  }
  if (f.slaState) out.push(slaStateCondition(f.slaState, now));
  return out;
}

/** Conversations in one SLA state at `now` (the rule of slaStateOf in packages/shared). */
export function slaStateCondition(state: SlaState, now: number): RawBuilder<boolean> {
  if (state === 'none') return sql<boolean>`c.sla_due_at is null`;
  const overdue = sql<boolean>`(c.sla_breached = 1 or c.sla_due_at <= ${now})`;
  if (state === 'breached') return sql<boolean>`(c.sla_due_at is not null and ${overdue})`;
  const soon = now + SLA_DUE_SOON_MS;
  const due =
    state === 'due_soon' ? sql<boolean>`c.sla_due_at <= ${soon}` : sql<boolean>`c.sla_due_at > ${soon}`;
  return sql<boolean>`(c.sla_due_at is not null and not ${overdue} and ${due})`;
}
