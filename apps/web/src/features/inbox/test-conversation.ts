import type { Conversation } from '../../api/types.ts';

/** A conversation for list tests: open, unassigned, on channel ch1, with activity at `at`. */
export function conv(id: string, at: number, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    status: 'open',
    priority: 'none',
    assigneeId: null,
    teamId: null,
    labels: [],
    attributes: {},
    channel: { id: 'ch1', type: 'api', name: 'API' },
    contact: { id: `ct-${id}`, name: id, phone: null, email: null },
    snoozedUntil: null,
    lastInboundAt: at,
    lastOutboundAt: null,
    lastActivityAt: at,
    lastMessagePreview: 'hi',
    waitingSince: null,
    firstResponseAt: null,
    firstResponseMs: null,
    resolvedAt: null,
    createdAt: at,
    updatedAt: at,
    sla: null,
    ...over,
  };
}
