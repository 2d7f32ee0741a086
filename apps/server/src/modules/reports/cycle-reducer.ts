import type { ConversationFact, MessageFact } from './report-facts.ts';

/**
 * The definitions of docs/metrics.md as one pure state machine per conversation: the live listener
 * and the rebuild both feed it facts in order and write what it returns.
 */

export const QUARTER_HOUR_MS = 900_000;

export const MESSAGE_METRICS = ['inbound', 'outbound', 'automatic', 'notes'] as const;
export type MessageMetric = (typeof MESSAGE_METRICS)[number];

export const SAMPLE_KINDS = ['first_response', 'next_response', 'resolution', 'waiting', 'handling'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** A conversation's current cycle (the last one); the row of report_cycles with the highest seq. */
export interface CycleState {
  conversationId: string;
  accountId: string;
  seq: number;
  channelId: string;
  teamId: string | null;
  userId: string | null;
  openedAt: number;
  firstCustomerAt: number | null;
  firstResponseAt: number | null;
  firstResponderId: string | null;
  awaitingSince: number | null;
  waitingMs: number;
  waitingBusinessMs: number;
  resolvedAt: number | null;
}

export interface CountDelta {
  bucket: number;
  metric: MessageMetric;
  channelId: string;
  teamId: string | null;
  userId: string | null;
}

/** A measured duration, ending at `at`, in calendar and in business time. */
export interface SampleOut {
  kind: SampleKind;
  conversationId: string;
  channelId: string;
  teamId: string | null;
  userId: string | null;
  at: number;
  ms: number;
  businessMs: number;
}

/** Business milliseconds between two instants under the conversation's channel schedule. */
export type BusinessTime = (from: number, to: number) => number;

export interface Step {
  /** The cycle after the fact; `opened` when the fact started a new cycle (insert, not update). */
  cycle: CycleState | null;
  opened: boolean;
  counts: CountDelta[];
  samples: SampleOut[];
}

export function bucketOf(t: number): number {
  return Math.floor(t / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
}

function newCycle(f: ConversationFact, seq: number, openedAt: number): CycleState {
  return {
    conversationId: f.conversationId,
    accountId: f.accountId,
    seq,
    channelId: f.channelId,
    teamId: f.teamId,
    userId: f.assigneeId,
    openedAt,
    firstCustomerAt: null,
    firstResponseAt: null,
    firstResponderId: null,
    awaitingSince: null,
    waitingMs: 0,
    waitingBusinessMs: 0,
    resolvedAt: null,
  };
}

export function applyConversation(cur: CycleState | null, f: ConversationFact, bt: BusinessTime): Step {
  const samples: SampleOut[] = [];
  if (!cur) {
    const cycle = newCycle(f, 0, f.createdAt);
    if (f.status === 'resolved') cycle.resolvedAt = f.at;
    return { cycle, opened: true, counts: [], samples };
  }
  if (cur.resolvedAt !== null) {
    if (f.status === 'resolved') return { cycle: cur, opened: false, counts: [], samples };
    // A reopening: a new cycle and a new first-response clock.
    return { cycle: newCycle(f, cur.seq + 1, f.at), opened: true, counts: [], samples };
  }
  const next: CycleState = { ...cur, channelId: f.channelId, teamId: f.teamId, userId: f.assigneeId };
  if (f.status !== 'resolved') return { cycle: next, opened: false, counts: [], samples };

  next.resolvedAt = f.at;
  const dims = {
    conversationId: next.conversationId,
    channelId: next.channelId,
    teamId: next.teamId,
    userId: next.userId,
  };
  const span = (kind: SampleKind, from: number): SampleOut => ({
    kind,
    ...dims,
    at: f.at,
    ms: f.at - from,
    businessMs: bt(from, f.at),
  });
  if (next.firstCustomerAt !== null) {
    samples.push(span('resolution', next.firstCustomerAt));
    // Answered waits were summed as they closed; a wait still open at the resolution ends here.
    const open = next.awaitingSince;
    samples.push({
      kind: 'waiting',
      ...dims,
      at: f.at,
      ms: next.waitingMs + (open === null ? 0 : f.at - open),
      businessMs: next.waitingBusinessMs + (open === null ? 0 : bt(open, f.at)),
    });
  }
  if (next.firstResponseAt !== null) samples.push(span('handling', next.firstResponseAt));
  return { cycle: next, opened: false, counts: [], samples };
}

/** Null: a private entry the system wrote (activity such as "assigned to Bob"), counted nowhere. */
export function messageMetric(f: MessageFact): MessageMetric | null {
  if (f.private) return f.authorKind === 'user' ? 'notes' : null;
  if (f.authorKind === 'contact') return 'inbound';
  if (f.authorKind === 'user') return 'outbound';
  return 'automatic';
}

/** A human reply: an operator's (or the business's, from the provider's own app) message to the customer. */
export function isHumanReply(f: MessageFact): boolean {
  return !f.private && f.authorKind === 'user' && f.direction === 'out';
}

export function applyMessage(cur: CycleState, f: MessageFact, bt: BusinessTime): Step {
  const metric = messageMetric(f);
  const credited = metric === 'outbound' || metric === 'notes' ? f.authorId : cur.userId;
  const counts: CountDelta[] = metric
    ? [{ bucket: bucketOf(f.at), metric, channelId: f.channelId, teamId: cur.teamId, userId: credited }]
    : [];
  const samples: SampleOut[] = [];
  if (cur.resolvedAt !== null) return { cycle: cur, opened: false, counts, samples };
  const next = { ...cur };
  if (metric === 'inbound') {
    if (next.firstCustomerAt === null) next.firstCustomerAt = f.at;
    if (next.awaitingSince === null) next.awaitingSince = f.at;
  } else if (isHumanReply(f) && next.awaitingSince !== null) {
    const first = next.firstResponseAt === null;
    const ms = f.at - next.awaitingSince;
    const businessMs = bt(next.awaitingSince, f.at);
    samples.push({
      kind: first ? 'first_response' : 'next_response',
      conversationId: next.conversationId,
      channelId: next.channelId,
      teamId: next.teamId,
      userId: f.authorId,
      at: f.at,
      ms,
      businessMs,
    });
    if (first) {
      next.firstResponseAt = f.at;
      next.firstResponderId = f.authorId;
    }
    next.waitingMs += ms;
    next.waitingBusinessMs += businessMs;
    next.awaitingSince = null;
  }
  return { cycle: next, opened: false, counts, samples };
}
