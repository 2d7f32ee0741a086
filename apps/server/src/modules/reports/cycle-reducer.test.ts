import { describe, expect, it } from 'vitest';
import { calendarTime } from './business-time.ts';
import {
  applyConversation,
  applyMessage,
  type CycleState,
  type SampleOut,
  type Step,
} from './cycle-reducer.ts';
import type { ConversationFact, MessageFact } from './report-facts.ts';

const conv = (
  at: number,
  status: ConversationFact['status'],
  assigneeId: string | null = null,
): ConversationFact => ({
  kind: 'conversation',
  at,
  accountId: 'acc',
  conversationId: 'c1',
  channelId: 'ch',
  teamId: null,
  assigneeId,
  status,
  createdAt: 0,
});
const msg = (
  at: number,
  authorKind: MessageFact['authorKind'],
  authorId: string | null = null,
  priv = false,
): MessageFact => ({
  kind: 'message',
  at,
  accountId: 'acc',
  conversationId: 'c1',
  channelId: 'ch',
  direction: authorKind === 'contact' ? 'in' : 'out',
  authorKind,
  authorId,
  private: priv,
});

function run(facts: Array<ConversationFact | MessageFact>): SampleOut[] {
  let cur: CycleState | null = null;
  const out: SampleOut[] = [];
  for (const f of facts) {
    const step: Step =
      f.kind === 'conversation'
        ? applyConversation(cur, f, calendarTime)
        : applyMessage(cur!, f, calendarTime);
    cur = step.cycle;
    out.push(...step.samples);
  }
  return out;
}

describe('cycle reducer', () => {
  it('a bot answer and a system message never stop the first-response clock', () => {
    const s = run([
      conv(0, 'open'),
      msg(1000, 'contact'),
      msg(2000, 'bot'),
      msg(3000, 'system'),
      msg(9000, 'user', 'bob'),
    ]);
    expect(s).toEqual([expect.objectContaining({ kind: 'first_response', ms: 8000, userId: 'bob' })]);
  });

  it('an operator writing first does not start or stop the clock; the customer message does', () => {
    const s = run([
      conv(0, 'open'),
      msg(1000, 'user', 'ann'),
      msg(5000, 'contact'),
      msg(7000, 'user', 'bob'),
    ]);
    expect(s).toEqual([expect.objectContaining({ kind: 'first_response', ms: 2000, userId: 'bob' })]);
  });

  it('a note is no response; resolution credits the assignee, FRT the replier', () => {
    const s = run([
      conv(0, 'open', 'ann'),
      msg(1000, 'contact'),
      msg(2000, 'user', 'ann', true),
      msg(4000, 'user', 'bob'),
      conv(10_000, 'resolved', 'ann'),
    ]);
    expect(s.map((x) => [x.kind, x.ms, x.userId])).toEqual([
      ['first_response', 3000, 'bob'],
      ['resolution', 9000, 'ann'],
      ['waiting', 3000, 'ann'],
      ['handling', 6000, 'ann'],
    ]);
  });
});
