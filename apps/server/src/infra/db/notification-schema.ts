/** In-app notifications (migration 0040; modules/notifications). */
export interface NotificationsTable {
  id: string;
  account_id: string;
  /** The recipient. */
  user_id: string;
  /** mention | transfer */
  kind: string;
  conversation_id: string;
  message_id: string | null;
  actor_id: string | null;
  body: string | null;
  read_at: number | null;
  created_at: number;
}
