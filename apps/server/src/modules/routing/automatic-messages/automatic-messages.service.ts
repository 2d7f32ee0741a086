import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { insertOutboundMessage } from '../../messages/outbound-message.ts';
import type { CenterState } from '../schedules/center.service.ts';
import {
  type AutomaticKind,
  type ChannelRouting,
  UNKNOWN_OPENING,
  automaticEnabled,
  automaticText,
} from '../settings/routing-settings.ts';
import { formatLocal } from '../schedules/schedule.ts';
import { conversationWindow, recordRefusal, sendAllowed } from '../window/window-policy.ts';

export type AutomaticOutcome = 'disabled' | 'throttled' | 'window_closed' | 'sent';

/** Replaces {{variable}}; the admin's texts were checked to use only known variables. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => vars[name] ?? '');
}

/**
 * Sends an automatic message through the normal outbound path (message row + message.send job in the
 * caller's transaction), if it is enabled, the messaging window is open and the customer has not had
 * one of this kind within the throttle interval. A closed window is recorded as a refused send.
 */
export async function sendAutomatic(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Row<'conversations'>,
  routing: ChannelRouting,
  kind: AutomaticKind,
  center?: CenterState,
): Promise<AutomaticOutcome> {
  if (!routing.channelActive || !automaticEnabled(routing, kind)) return 'disabled';
  const tx = uow.tx;
  const now = ctx.clock.now();
  const throttleMs = routing.settings.automaticMessages.throttleHours * 3_600_000;
  const last = await tx
    .selectFrom('automatic_message_log')
    .select('last_sent_at')
    .where('contact_id', '=', conv.contact_id)
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (last && last.last_sent_at > now - throttleMs) return 'throttled';

  const state = await conversationWindow(tx, conv, now);
  if (!sendAllowed(state, 'automatic')) {
    await recordRefusal(ctx, tx, conv, 'automatic', null, state);
    return 'window_closed';
  }

  // The conditional upsert is the real throttle: of two racing transactions only one updates the row.
  const claimed = await tx
    .insertInto('automatic_message_log')
    .values({ contact_id: conv.contact_id, kind, account_id: conv.account_id, last_sent_at: now })
    .onConflict((oc) =>
      oc
        .columns(['contact_id', 'kind'])
        .doUpdateSet({ last_sent_at: now })
        .where('automatic_message_log.last_sent_at', '<=', now - throttleMs),
    )
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return 'throttled';

  const contact = await tx
    .selectFrom('contacts')
    .select('name')
    .where('id', '=', conv.contact_id)
    .executeTakeFirst();
  const lang = routing.settings.language;
  const next =
    center?.nextOpenAt != null && routing.schedule
      ? formatLocal(center.nextOpenAt, routing.schedule.timeZone, lang)
      : UNKNOWN_OPENING[lang];
  const body = renderTemplate(automaticText(routing, kind), {
    next_open_time: next,
    'contact.name': contact?.name ?? '',
    'channel.name': routing.channelName,
  });

  // Through the one outbound path: stored, queued and shown like a reply, marked as automatic.
  await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'system',
    authorId: null,
    contentKind: 'text',
    body,
    meta: { automatic: kind },
    isReply: false,
  });
  return 'sent';
}
