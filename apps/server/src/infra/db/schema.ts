import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  AutomationExecutionsTable,
  AutomationMutesTable,
  AutomationRulesTable,
  AutomationTimersTable,
} from './automation-schema.ts';
import type { NotificationsTable } from './notification-schema.ts';
import type { SavedViewsTable } from './views-schema.ts';
import type { ContactSegmentsTable } from './segment-schema.ts';
import type { SlaPoliciesTable, SlaTargetsTable } from './sla-schema.ts';
import type { AttributeDefinitionsTable } from './attributes-schema.ts';
import type { TemplateAttachmentsTable } from './template-attachments-schema.ts';

/**
 * One schema type for both dialects. Portable column types only: text UUIDv7 ids, integer epoch-ms
 * timestamps (bigint on PostgreSQL, parsed back to number), JSON stored as text, booleans as 0/1.
 */
export interface Database {
  attribute_definitions: AttributeDefinitionsTable;
  accounts: AccountsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  channels: ChannelsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  contact_merges: ContactMergesTable;
  conversations: ConversationsTable;
  conversation_labels: ConversationLabelsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  inbound_events: InboundEventsTable;
  jobs: JobsTable;
  account_events: AccountEventsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  search_docs: SearchDocsTable;
  templates: TemplatesTable;
  template_attachments: TemplateAttachmentsTable;
  exports: ExportsTable;
  contact_imports: ContactImportsTable;
  contact_import_problems: ContactImportProblemsTable;
  schedules: SchedulesTable;
  channel_routing: ChannelRoutingTable;
  center_status: CenterStatusTable;
  channel_center_status: ChannelCenterStatusTable;
  conversation_assignments: ConversationAssignmentsTable;
  automatic_message_log: AutomaticMessageLogTable;
  refused_sends: RefusedSendsTable;
  contact_consents: ContactConsentsTable;
  conversation_reads: ConversationReadsTable;
  contact_labels: ContactLabelsTable;
  contact_notes: ContactNotesTable;
  uploads: UploadsTable;
  widget_uploads: WidgetUploadsTable;
  broadcasts: BroadcastsTable;
  broadcast_recipients: BroadcastRecipientsTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  access_links: AccessLinksTable;
  login_throttle: LoginThrottleTable;
  automation_rules: AutomationRulesTable;
  automation_executions: AutomationExecutionsTable;
  automation_timers: AutomationTimersTable;
  automation_mutes: AutomationMutesTable;
  report_counts: ReportCountsTable;
  report_cycles: ReportCyclesTable;
  report_samples: ReportSamplesTable;
  report_presence: ReportPresenceTable;
  report_totals: ReportTotalsTable;
  csat_settings: CsatSettingsTable;
  csat_surveys: CsatSurveysTable;
  report_csat: ReportCsatTable;
  sla_policies: SlaPoliciesTable;
  sla_targets: SlaTargetsTable;
  email_mailboxes: EmailMailboxesTable;
  email_webhook_tokens: EmailWebhookTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  bots: BotsTable;
  bot_sessions: BotSessionsTable;
  notifications: NotificationsTable;
  saved_views: SavedViewsTable;
  contact_segments: ContactSegmentsTable;
}

export interface AccountsTable {
  id: string;
  name: string;
  event_seq: number;
  /** IANA zone for dates in exports and reports (default UTC). */
  time_zone: Generated<string>;
  /** 1: every member must sign in with a second factor (those without one are sent to enrol). */
  require_two_factor: Generated<number>;
  /** ISO 3166 alpha-2 country that phone numbers without `+` are read in (duplicate suggestions). */
  default_country: Generated<string | null>;
  /** 1: identities whose phone the provider verified are merged into the contact with that phone. */
  auto_merge_verified: Generated<number>;
  /** 1: a reply to an unassigned conversation assigns it to the replier (migration 0032). */
  assign_on_reply: Generated<number>;
  /** Presence an operator gets on signing in (migration 0033): online | away | offline | unchanged. */
  sign_in_availability: Generated<string>;
  created_at: number;
}

/** A person's sign-in in one account (migration 0011): the same e-mail in two accounts is two users. */
export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  password_hash: string;
  /** 1: the password was set by an admin (or is temporary); the API refuses everything but changing it. */
  password_change_required: Generated<number>;
  /** TOTP secret (RFC 6238), sealed with the instance secret; set once enrolment is confirmed. */
  totp_secret_enc: string | null;
  /** A secret shown for enrolment but not yet confirmed with a code. */
  totp_pending_enc: string | null;
  totp_enabled_at: number | null;
  /** The last accepted 30-second step: a code is accepted once. */
  totp_last_step: number | null;
  created_at: number;
  updated_at: number;
}

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: string;
  availability: string;
  capacity: number;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  account_id: string;
  name: string;
  created_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  account_id: string;
}

export interface ChannelsTable {
  id: string;
  account_id: string;
  type: string;
  name: string;
  settings: string;
  credentials_enc: string;
  team_id: string | null;
  active: number;
  created_at: number;
  updated_at: number;
  /** First time the provider reached the webhook (handshake or a verified delivery); null = not yet. */
  webhook_seen_at: number | null;
  /** A channel-wide problem the provider reported (`token_invalid`), null when healthy. */
  health_issue: string | null;
  health_detail: string | null;
  health_at: number | null;
}

export interface ContactsTable {
  id: string;
  account_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
  /** Merged into this contact (migration 0029): the row only answers with that pointer until undone. */
  merged_into: Generated<string | null>;
  merged_at: Generated<number | null>;
  /** Normalised addresses for duplicate suggestions (migration 0031, contacts/duplicates/match-keys.ts). */
  phone_key: Generated<string | null>;
  email_key: Generated<string | null>;
  /** The phone and e-mail the keys were derived from (match-keys.ts `sourceOf`); differs: derive again. */
  match_source: Generated<string | null>;
}

/** One merge of two contacts: what moved, for the undo (a day) and the record. */
export interface ContactMergesTable {
  id: string;
  account_id: string;
  survivor_id: string;
  merged_id: string;
  merged_by: string | null;
  /** manual | automatic */
  via: string;
  /** JSON MergeRecord (modules/contacts/merge/merge-record.ts) */
  record: string;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
}

export interface ContactIdentitiesTable {
  id: string;
  account_id: string;
  contact_id: string;
  channel_id: string;
  external_id: string;
  created_at: number;
}

export interface ConversationsTable {
  id: string;
  account_id: string;
  channel_id: string;
  contact_id: string;
  team_id: string | null;
  assignee_id: string | null;
  status: string;
  priority: string;
  snoozed_until: number | null;
  last_inbound_at: number | null;
  last_outbound_at: number | null;
  last_activity_at: number;
  last_message_preview: string | null;
  first_response_at: number | null;
  first_response_ms: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
  /** The nearest running SLA target (migration 0030): its policy, metric, due time, and whether it is breached. */
  sla_policy_id: string | null;
  sla_metric: string | null;
  sla_due_at: number | null;
  sla_breached: Generated<number>;
  /** Custom attribute values, JSON object by key (migration 0036). */
  attributes: Generated<string>;
  /** The conversation this one was merged into, and when (migration 0042); null: not merged. */
  merged_into: string | null;
  merged_at: number | null;
}

export interface ConversationLabelsTable {
  conversation_id: string;
  account_id: string;
  label: string;
}

/** How far one operator has read one conversation (the newest message seen, in list order). */
export interface ConversationReadsTable {
  user_id: string;
  conversation_id: string;
  account_id: string;
  last_read_at: number;
  last_read_message_id: string;
  updated_at: number;
}

export interface ContactLabelsTable {
  contact_id: string;
  account_id: string;
  label: string;
  created_at: number;
}

/** An operator's note on a contact (not a message; never sent to the customer). */
export interface ContactNotesTable {
  id: string;
  account_id: string;
  contact_id: string;
  author_id: string;
  body: string;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  account_id: string;
  conversation_id: string;
  channel_id: string;
  direction: string;
  author_kind: string;
  author_id: string | null;
  content_kind: string;
  body: string | null;
  private: number;
  provider_message_id: string | null;
  client_message_id: string | null;
  delivery_status: string | null;
  error_code: string | null;
  error_message: string | null;
  provider_ts: number | null;
  meta: string;
  created_at: number;
  updated_at: number;
}

export interface AttachmentsTable {
  id: string;
  account_id: string;
  message_id: string;
  kind: string;
  name: string | null;
  mime_type: string | null;
  size: number | null;
  storage_key: string | null;
  source_url: string | null;
  /** Provider's handle for the file (Telegram file_id, WhatsApp media id) until it is downloaded. */
  provider_ref: string | null;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string | null;
  /** pending | stored | failed (null: nothing to download, e.g. an API channel link). */
  download_status: string | null;
  download_error: string | null;
  created_at: number;
}

export interface InboundEventsTable {
  id: string;
  account_id: string;
  channel_id: string;
  provider_event_id: string;
  payload: string;
  received_at: number;
  processed_at: number | null;
  /** Processing failed for good (a dead event); cleared by a retry. */
  failed_at: number | null;
  last_error: string | null;
  retried_at: number | null;
  discarded_at: number | null;
  discarded_by: string | null;
}

export interface JobsTable {
  id: string;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_until: number | null;
  lease_token: string | null;
  last_error: string | null;
  account_id: string | null;
  /** Jobs sharing a key run one at a time in enqueue order (e.g. replies of one conversation). */
  order_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface AccountEventsTable {
  /**
   * PostgreSQL only (migration 0045): insertion order, by which the sequencer numbers an account's
   * unnumbered events. SQLite numbers in the emitting transaction and has no such column.
   */
  pos: Generated<number>;
  account_id: string;
  /** Null on PostgreSQL between the emitting commit and the sequencer's; readers filter `seq > cursor`. */
  seq: number | null;
  type: string;
  team_id: string | null;
  payload: string;
  created_at: number;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** After this instant the token is refused (401 token_expired); null: never. */
  expires_at: number | null;
  /** 'read': GET/HEAD only; 'write': everything its creator's role allows. */
  scope: Generated<string>;
  /** Set: the token of this bot (author kind `bot`), not of `user_id` (who created the bot). */
  bot_id: string | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  account_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
  /** Last request (written at most once a minute); null on sessions older than the idle timeout. */
  last_seen_at: number | null;
  /** JSON ProvenAccount[] (migration 0033): the other accounts this sign-in's password opened. */
  proven_accounts: Generated<string | null>;
}

export interface AuditLogTable {
  id: string;
  account_id: string;
  user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  ip: string | null;
  created_at: number;
}

/** Working hours: `weekly` and `exceptions` are JSON (see modules/routing/schedules/schedule.ts). */
export interface SchedulesTable {
  id: string;
  account_id: string;
  name: string;
  time_zone: string;
  weekly: string;
  exceptions: string;
  created_at: number;
  updated_at: number;
}

/** Per-channel routing; no row means the defaults (manual assignment, no automatic messages). */
export interface ChannelRoutingTable {
  channel_id: string;
  account_id: string;
  schedule_id: string | null;
  /** manual | round_robin | least_loaded */
  assignment_mode: string;
  /** JSON: window, assignment options, automatic messages (modules/routing/settings/routing-settings.ts). */
  settings: string;
  updated_at: number;
}

/** An admin's override of the computed online/offline state: auto | online | offline. */
export interface CenterStatusTable {
  account_id: string;
  mode: string;
  updated_by: string | null;
  updated_at: number;
}

/** The same override for one channel; it wins over the account's (auto = follow the account). */
export interface ChannelCenterStatusTable {
  channel_id: string;
  account_id: string;
  mode: string;
  updated_by: string | null;
  updated_at: number;
}

/** Every assignment change (user_id null = returned to the queue). */
export interface ConversationAssignmentsTable {
  id: string;
  account_id: string;
  conversation_id: string;
  user_id: string | null;
  previous_user_id: string | null;
  reason: string;
  actor_id: string | null;
  created_at: number;
}

/** When a customer last got an automatic message of a kind (throttling). */
export interface AutomaticMessageLogTable {
  contact_id: string;
  kind: string;
  account_id: string;
  last_sent_at: number;
}

/** Sends refused by the messaging-window rule. */
export interface RefusedSendsTable {
  id: string;
  account_id: string;
  conversation_id: string;
  channel_id: string;
  /** reply | automatic | template | api | broadcast */
  path: string;
  actor_id: string | null;
  /** open windows are never refused; expired | no_inbound | opted_out */
  reason: string;
  window_closed_at: number | null;
  created_at: number;
}

/**
 * A contact's consent per scope (`sms`, `telegram`, ...; modules/consent/consent-scope.ts). `status` is the
 * latest decision: opted_out (nothing may be sent in this scope) or opted_in (explicit consent: the business
 * may write outside the messaging window where the provider allows it). `*_via`: keyword | provider | api |
 * import (text: no migration for new values).
 */
export interface ContactConsentsTable {
  contact_id: string;
  scope: string;
  account_id: string;
  status: string;
  opted_out_at: number | null;
  opt_out_via: string | null;
  opt_out_source: string | null;
  opted_in_at: number | null;
  opt_in_via: string | null;
  opt_in_source: string | null;
  updated_at: number;
}

/** One searchable message or contact: our own stems (modules/search/text-analysis.ts). */
export interface SearchDocsTable {
  rid: Generated<number>;
  account_id: string;
  /** message | contact */
  kind: string;
  ref_id: string;
  conversation_id: string | null;
  contact_id: string;
  channel_id: string | null;
  author_id: string | null;
  direction: string | null;
  created_at: number;
  term_count: number;
  terms: string;
  /** PostgreSQL only (SQLite indexes `terms` in the search_fts FTS5 table). */
  tsv?: string;
}

export interface TemplatesTable {
  id: string;
  account_id: string;
  /** everyone | team | personal */
  scope: string;
  team_id: string | null;
  owner_id: string | null;
  scope_key: string;
  name: string;
  shortcut: string;
  body: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A contact import run as a background job (migration 0038). */
export interface ContactImportsTable {
  id: string;
  account_id: string;
  user_id: string | null;
  /** csv | xlsx */
  format: string;
  source: string;
  opt_in: number;
  channel_id: string | null;
  /** JSON ImportMapping */
  mapping: string;
  storage_key: string | null;
  file_name: string | null;
  /** queued | running | done | failed */
  status: string;
  total: number | null;
  processed: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  warned: Generated<number>;
  /** JSON string[] */
  ignored_columns: Generated<string>;
  failure: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** Every skipped row and warning of an import, for its errors file. */
export interface ContactImportProblemsTable {
  import_id: string;
  row: number;
  /** error | warning */
  kind: string;
  message: string;
  /** JSON RowIssue[] */
  issues: string;
}

export interface ExportsTable {
  id: string;
  account_id: string;
  user_id: string | null;
  /** conversations | messages */
  kind: string;
  /** xlsx | csv */
  format: string;
  /** JSON of the conversation filter (and optional full-text query). */
  filter: string;
  /** JSON team ids the requester could see (null: the whole account). */
  visible_teams: string | null;
  /** pending | running | done | failed */
  status: string;
  rows_done: number;
  rows_total: number | null;
  storage_key: string | null;
  file_name: string;
  size: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A file an operator uploaded for a reply (see migration 0008). */
export interface UploadsTable {
  id: string;
  account_id: string;
  user_id: string;
  name: string | null;
  /** Sniffed from the bytes, never the browser's claim. */
  mime_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: number;
  /** First time a message referred to it; null while unused (cleanup candidates). */
  used_at: number | null;
}

/** A file a site visitor uploaded (migration 0014): counted for the quotas, deleted when never sent. */
export interface WidgetUploadsTable {
  id: string;
  account_id: string;
  channel_id: string;
  /** The visitor's external id (`a:…` anonymous, `u:…` identified). */
  visitor_id: string;
  /** HMAC-SHA256 of the client IP under a key derived from the installation secret. */
  ip_hash: string;
  size: number;
  storage_key: string;
  created_at: number;
  /** When a visitor message carried it; null while unsent (deleted after UPLOAD_UNUSED_TTL_HOURS). */
  used_at: number | null;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;

/** One message to many contacts of a channel (see modules/broadcasts). */
export interface BroadcastsTable {
  id: string;
  account_id: string;
  channel_id: string;
  created_by: string;
  name: string | null;
  /** JSON: `{text}` or `{template}` */
  content: string;
  /** JSON: how the recipients were chosen (`{contactIds?, label?}`) */
  audience: string;
  /** running | done */
  status: string;
  client_broadcast_id: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface BroadcastRecipientsTable {
  broadcast_id: string;
  contact_id: string;
  /** pending | queued | window_closed | opted_out | no_identity | channel_inactive */
  outcome: string;
  conversation_id: string | null;
  message_id: string | null;
  /** for window_closed: when the window closed (null: the customer never wrote) */
  closed_at: number | null;
  updated_at: number;
}

/** One-time recovery codes for two-factor sign-in (only a hash is kept). */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

/** The step between a right password and the second factor: a short-lived token, not a session. */
export interface LoginChallengesTable {
  id: string;
  token_hash: string;
  user_id: string;
  account_id: string;
  attempts: Generated<number>;
  expires_at: number;
  used_at: number | null;
  created_at: number;
  /** JSON ProvenAccount[] carried to the session the code finishes (migration 0033). */
  proven_accounts: Generated<string | null>;
}

/** A one-time link an admin made to reset a member's access (only a hash is kept). */
export interface AccessLinksTable {
  id: string;
  token_hash: string;
  user_id: string;
  account_id: string;
  created_by: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** Sign-in attempt counters per key and fixed window (the SQL LoginThrottle; Redis keeps its own). */
export interface LoginThrottleTable {
  key: string;
  window_start: number;
  hits: number;
  expires_at: number;
}

/** Message counts per quarter hour (bucket = its first epoch ms) and dimension; '' = none. */
export interface ReportCountsTable {
  account_id: string;
  bucket: number;
  metric: string;
  channel_id: string;
  team_id: string;
  user_id: string;
  /**
   * PostgreSQL only (migration 0045): which of the key's counter rows a transaction adds to, so
   * concurrent transactions of one account do not queue on one row's lock through their commits.
   * Readers sum every row of a key.
   */
  shard: Generated<number>;
  n: number;
}

/** Message counts per quarter hour along one dimension: all ('' id), channel, team or user. */
export interface ReportTotalsTable {
  account_id: string;
  dim: string;
  dim_id: string;
  metric: string;
  bucket: number;
  /**
   * PostgreSQL only (migration 0045): which of the key's counter rows a transaction adds to, so
   * concurrent transactions of one account do not queue on one row's lock through their commits.
   * Readers sum every row of a key.
   */
  shard: Generated<number>;
  n: number;
}

/** One conversation cycle: from creation (seq 0) or a reopening to its resolution (docs/metrics.md). */
export interface ReportCyclesTable {
  conversation_id: string;
  seq: number;
  account_id: string;
  channel_id: string;
  team_id: string | null;
  /** The assignee: current while open, frozen at resolution. */
  user_id: string | null;
  opened_at: number;
  first_customer_at: number | null;
  first_response_at: number | null;
  first_responder_id: string | null;
  /** The oldest customer message still waiting for a human reply. */
  awaiting_since: number | null;
  waiting_ms: number;
  waiting_business_ms: number;
  resolved_at: number | null;
}

/** One measured duration, at the instant it ended. */
export interface ReportSamplesTable {
  id: string;
  account_id: string;
  /** first_response | next_response | resolution | waiting | handling */
  kind: string;
  at: number;
  conversation_id: string;
  channel_id: string;
  team_id: string | null;
  user_id: string | null;
  ms: number;
  business_ms: number;
}

/** An operator's availability from started_at until ended_at (null = still). */
export interface ReportPresenceTable {
  account_id: string;
  user_id: string;
  started_at: number;
  availability: string;
  ended_at: number | null;
}

/** Where reading an e-mail channel's IMAP mailbox got to, and which node holds its connection. */
export interface EmailMailboxesTable {
  channel_id: string;
  mailbox: string;
  uid_validity: string | null;
  last_uid: number;
  holder: string | null;
  lease_until: number;
  last_sync_at: number | null;
  last_error: string | null;
  updated_at: number;
}

/** Mailgun webhook tokens already seen (replays of other bytes are refused). */
export interface EmailWebhookTokensTable {
  channel_id: string;
  token: string;
  body_sha256: string;
  seen_at: number;
}

/** An outgoing webhook endpoint (see modules/webhooks). */
export interface WebhooksTable {
  id: string;
  account_id: string;
  url: string;
  /** JSON array of event types */
  events: string;
  active: number;
  /** sealed with the instance key (SecretBox) */
  secret: string;
  created_by: string | null;
  paused_at: number | null;
  /** failing_for_24h | refused_repeatedly */
  pause_reason: string | null;
  pause_detail: string | null;
  refused_in_a_row: Generated<number>;
  last_success_at: number | null;
  last_failure_at: number | null;
  created_at: number;
  updated_at: number;
  /** Set: the hidden endpoint of an agent bot (modules/bots), not listed with the account's webhooks. */
  bot_id: string | null;
}

/** One event for one endpoint; `id` is the X-Switchboard-Delivery header. */
export interface WebhookDeliveriesTable {
  id: string;
  account_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  order_key: string | null;
  /** the exact JSON body sent */
  body: string;
  /** pending | retrying | delivered | failed */
  status: string;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  next_attempt_at: number | null;
  /** retries stop after this (24 h from the event or from a redelivery) */
  retry_until: number;
  created_at: number;
  delivered_at: number | null;
  updated_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  /** JSON object of the headers sent */
  request_headers: string;
}

/** A channel's satisfaction survey (docs/metrics.md, "CSAT"); null texts = the product's defaults. */
export interface CsatSettingsTable {
  channel_id: string;
  account_id: string;
  enabled: number;
  question_en: string | null;
  question_ru: string | null;
  window_hours: number;
  updated_at: number;
}

/** One survey per resolution: sent (and perhaps answered) or skipped with the reason. */
export interface CsatSurveysTable {
  id: string;
  account_id: string;
  conversation_id: string;
  channel_id: string;
  contact_id: string;
  resolved_at: number;
  team_id: string | null;
  user_id: string | null;
  status: string;
  skip_reason: string | null;
  message_id: string | null;
  sent_at: number;
  expires_at: number;
  rating: number | null;
  comment: string | null;
  rated_at: number | null;
  commented_at: number | null;
}

/** An answered survey as the reports count it: its latest rating, credited at the resolution. */
export interface ReportCsatTable {
  survey_id: string;
  account_id: string;
  conversation_id: string;
  channel_id: string;
  team_id: string | null;
  user_id: string | null;
  rating: number;
  at: number;
}

/** A bot (modules/bots): `agent` (its own server, token + endpoint) or `menu` (built in). */
export interface BotsTable {
  id: string;
  account_id: string;
  name: string;
  kind: string;
  webhook_id: string | null;
  token_id: string | null;
  /** JSON array of channel ids */
  channel_ids: string;
  /** JSON array of words */
  handoff_keywords: string;
  reply_timeout_s: number;
  /** JSON BotMenu (menu bots) */
  menu: string | null;
  active: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A conversation a bot holds (ended_at null) or held. */
export interface BotSessionsTable {
  conversation_id: string;
  account_id: string;
  bot_id: string;
  started_at: number;
  ended_at: number | null;
  /** BotHandoffReason */
  end_reason: string | null;
}
