import { type QueryClient, useQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Conversation, ConversationCounts } from '../../api/types.ts';
import type { InboxFilter } from './inbox-filter.ts';

const KEY = 'conversation-counts';

/**
 * Exact counts of the inbox views under the filter's status, channel, team, label, attribute and SLA
 * state (the server counts).
 * `inView`: the status, channel and team figures count only the filter's view (Mine, Unassigned),
 * as the filter pickers show them; the view figures stay the same either way.
 */
export function useConversationCounts(filter: InboxFilter, inView = false) {
  const params = {
    status: filter.status === 'any' ? undefined : filter.status,
    channel: filter.channel,
    team: filter.team,
    label: filter.label,
    attribute: filter.attribute,
    slaState: filter.slaState,
    assignee: !inView
      ? undefined
      : filter.view === 'mine'
        ? 'me'
        : filter.view === 'unassigned'
          ? 'none'
          : undefined,
  };
  return useQuery({
    queryKey: [KEY, params],
    queryFn: () => get<ConversationCounts>(`/api/v1/conversations/counts${qs(params)}`),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: (previous) => previous,
  });
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** Counts follow live changes with one refetch per burst of events, not one per event. */
export function refreshCounts(qc: QueryClient, delayMs = 1000): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    void qc.invalidateQueries({ queryKey: [KEY] });
  }, delayMs);
}

/**
 * Whether a conversation event can change a count: a new conversation, one this console has not
 * seen, or a change of status, assignee, team, channel, labels, attributes or SLA target. A new
 * message alone changes none.
 */
export function affectsCounts(before: Conversation | undefined, after: Conversation): boolean {
  return (
    !before ||
    before.status !== after.status ||
    before.assigneeId !== after.assigneeId ||
    before.teamId !== after.teamId ||
    before.channel.id !== after.channel.id ||
    before.labels.join('\n') !== after.labels.join('\n') ||
    JSON.stringify(before.attributes) !== JSON.stringify(after.attributes) ||
    before.sla?.dueAt !== after.sla?.dueAt ||
    before.sla?.breached !== after.sla?.breached
  );
}
