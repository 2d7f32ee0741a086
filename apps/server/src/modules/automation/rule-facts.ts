import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { loadChannelRoutingById } from '../routing/settings/routing-settings.ts';
import { isOpenAt } from '../routing/schedules/schedule.ts';
import { parseAttributes } from '../attributes/attribute-values.ts';
import type { RuleFacts } from './rule-facts.types.ts';

/** Reads the conversation as it is now (a previous rule may have changed it) and the triggering message. */
export async function loadFacts(
  k: Tx,
  conv: Row<'conversations'>,
  messageId: string | null,
  now: number,
): Promise<RuleFacts> {
  const [convLabels, contact, contactLabels, routing, message] = await Promise.all([
    k.selectFrom('conversation_labels').select('label').where('conversation_id', '=', conv.id).execute(),
    k.selectFrom('contacts').select('attributes').where('id', '=', conv.contact_id).executeTakeFirst(),
    k.selectFrom('contact_labels').select('label').where('contact_id', '=', conv.contact_id).execute(),
    loadChannelRoutingById(k, conv.channel_id),
    messageId
      ? k
          .selectFrom('messages')
          .select(['body', 'direction', 'private'])
          .where('id', '=', messageId)
          .where('conversation_id', '=', conv.id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    message: message
      ? {
          text: message.body ?? '',
          direction: message.private === 1 ? 'note' : message.direction === 'in' ? 'in' : 'out',
        }
      : null,
    channel: { id: conv.channel_id, type: routing.channelType },
    contact: {
      labels: contactLabels.map((l) => l.label),
      attributes: contact ? parseAttributes(contact.attributes) : {},
    },
    conversation: {
      status: conv.status,
      priority: conv.priority,
      teamId: conv.team_id,
      assigneeId: conv.assignee_id,
      labels: convLabels.map((l) => l.label),
      attributes: parseAttributes(conv.attributes),
    },
    businessHoursOpen: routing.schedule ? isOpenAt(routing.schedule, now) : true,
  };
}
