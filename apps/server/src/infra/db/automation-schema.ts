/** Tables of the automation rules (migration 0020; modules/automation). */

export interface AutomationRulesTable {
  id: string;
  account_id: string;
  name: string;
  event: string;
  /** all | any */
  match: string;
  /** JSON: AutomationCondition[] */
  conditions: string;
  /** JSON: AutomationAction[] */
  actions: string;
  delay_minutes: number | null;
  enabled: number;
  position: number;
  webhook_secret: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface AutomationExecutionsTable {
  id: string;
  account_id: string;
  rule_id: string;
  conversation_id: string | null;
  event: string;
  /** What started this run (event sequence or timer anchor): unique per rule, so a replay is a no-op. */
  trigger_key: string;
  outcome: string;
  /** JSON: ActionResult[] */
  actions: string;
  error: string | null;
  created_at: number;
}

export interface AutomationTimersTable {
  rule_id: string;
  conversation_id: string;
  account_id: string;
  anchor_at: number;
}

export interface AutomationMutesTable {
  conversation_id: string;
  account_id: string;
  until: number;
}
