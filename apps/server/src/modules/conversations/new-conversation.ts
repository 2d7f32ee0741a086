import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';

/**
 * A fresh conversation of a contact on a channel, in the channel's team, unassigned: `open` when a
 * customer starts it, `resolved` when the business writes first (a broadcast to an imported contact).
 */
export function newConversationRow(
  channel: Pick<Row<'channels'>, 'id' | 'account_id' | 'team_id'>,
  contactId: string,
  now: number,
  status: 'open' | 'resolved',
): Row<'conversations'> {
  return {
    id: newId(now),
    account_id: channel.account_id,
    channel_id: channel.id,
    contact_id: contactId,
    team_id: channel.team_id,
    assignee_id: null,
    status,
    priority: 'none',
    snoozed_until: null,
    last_inbound_at: null,
    last_outbound_at: null,
    last_activity_at: now,
    last_message_preview: null,
    first_response_at: null,
    first_response_ms: null,
    resolved_at: status === 'resolved' ? now : null,
    created_at: now,
    updated_at: now,
    sla_policy_id: null,
    sla_metric: null,
    sla_due_at: null,
    sla_breached: 0,
    attributes: '{}',
    merged_into: null,
    merged_at: null,
  };
}
