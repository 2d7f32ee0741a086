import { z } from 'zod';

/**
 * The orders the conversation list offers. `activity` is "newest" in the console (the default, kept
 * under its old name so existing links and API clients keep working).
 */
export const CONVERSATION_SORTS = ['activity', 'oldest_waiting', 'priority', 'sla_due'] as const;
export type ConversationSort = (typeof CONVERSATION_SORTS)[number];

export const conversationSortQuery = z
  .enum(CONVERSATION_SORTS)
  .default('activity')
  .describe(
    'activity: newest activity first; oldest_waiting: the customer waiting longest first (see `waitingSince`), ' +
      'conversations nobody waits on last; priority: urgent, high, medium, low, none, each newest activity ' +
      'first; sla_due: nearest SLA due time first (none last)',
  );

/**
 * Where a conversation stands against its nearest running SLA target (the `sla` field): `breached`
 * (overdue), `due_soon` (due within SLA_DUE_SOON_MS), `on_track` (due later), `none` (no target runs).
 */
export const SLA_STATES = ['breached', 'due_soon', 'on_track', 'none'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** "Due soon": the target falls due within this window (30 minutes). */
export const SLA_DUE_SOON_MS = 30 * 60_000;

export const slaStateQuery = z
  .enum(SLA_STATES)
  .optional()
  .describe(
    'against the nearest running SLA target: breached (overdue), due_soon (due within 30 minutes), on_track (due later), none (no target runs)',
  );

/** The SLA state of a conversation's `sla` field at `now`, the same rule the list filter applies. */
export function slaStateOf(sla: { dueAt: number; breached: boolean } | null, now: number): SlaState {
  if (!sla) return 'none';
  if (sla.breached || sla.dueAt <= now) return 'breached';
  return sla.dueAt <= now + SLA_DUE_SOON_MS ? 'due_soon' : 'on_track';
}
