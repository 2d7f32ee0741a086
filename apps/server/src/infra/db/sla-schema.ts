/** Tables of the SLA policies (migration 0030; modules/sla). */

export interface SlaPoliciesTable {
  id: string;
  account_id: string;
  name: string;
  /** Precedence: the first active policy (lowest position) whose `applies_to` matches wins. */
  position: number;
  first_response_seconds: number | null;
  next_response_seconds: number | null;
  resolution_seconds: number | null;
  business_hours: number;
  /** JSON: {channelIds?, teamIds?, labels?} */
  applies_to: string;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface SlaTargetsTable {
  id: string;
  account_id: string;
  conversation_id: string;
  policy_id: string;
  /** first_response | next_response | resolution */
  metric: string;
  /** The report cycle (report_cycles.seq) it belongs to. */
  cycle: number;
  started_at: number;
  due_at: number;
  /** Null while running. */
  ended_at: number | null;
  /** null (running, in time) | met | breached */
  outcome: string | null;
  /** When the outcome was decided: the meeting reply/resolution, or the due time for a breach. */
  decided_at: number | null;
  breach_emitted: number;
  channel_id: string;
  team_id: string | null;
  user_id: string | null;
}
