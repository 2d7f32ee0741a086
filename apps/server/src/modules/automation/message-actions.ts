import type { ActionResult, AutomationAction } from '@switchboard/shared';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { templateBody } from '../messages/template-content.ts';
import { renderTemplate } from '../routing/automatic-messages/automatic-messages.service.ts';
import { loadChannelRoutingById } from '../routing/settings/routing-settings.ts';
import {
  type SendPath,
  conversationWindow,
  recordRefusal,
  sendAllowed,
} from '../routing/window/window-policy.ts';
import { type ActionContext, result } from './action-context.ts';

type MessageAction = Extract<AutomationAction, { type: 'send_message' | 'send_template' | 'add_note' }>;

/**
 * Messages a rule writes. To the customer they go through the one outbound path (message row and its
 * `message.send` job in the rule's transaction, as an automatic message: `author_kind: system`), after
 * the same window and consent check the send job repeats, so a rule never writes to an opted-out
 * customer or outside the messaging window; a refusal is recorded like any refused send.
 */
export async function runMessageAction(a: ActionContext, action: MessageAction): Promise<ActionResult> {
  const { ctx, uow, conv, rule } = a;
  const meta = { automation: { ruleId: rule.id, ruleName: rule.name } };
  if (action.type === 'add_note') return addNote(a, action.text, meta);

  const routing = await loadChannelRoutingById(uow.tx, conv.channel_id);
  if (!routing.channelActive) return result(action.type, 'refused', 'channel is deactivated');
  const path: SendPath = action.type === 'send_template' ? 'template' : 'automatic';
  const window = await conversationWindow(uow.tx, conv, ctx.clock.now());
  if (!sendAllowed(window, path)) {
    await recordRefusal(ctx, uow.tx, conv, path, null, window);
    return result(action.type, 'refused', window.reason === 'opted_out' ? 'opted_out' : 'window_closed');
  }
  if (action.type === 'send_template') {
    const sent = await insertOutboundMessage(ctx, uow, {
      conversation: conv,
      authorKind: 'system',
      authorId: null,
      contentKind: 'template',
      body: templateBody(action.template),
      meta: { ...meta, template: action.template },
      isReply: false,
    });
    return result(action.type, 'done', sent.id);
  }
  const contact = await uow.tx
    .selectFrom('contacts')
    .select('name')
    .where('id', '=', conv.contact_id)
    .executeTakeFirst();
  const body = renderTemplate(action.text, {
    'contact.name': contact?.name ?? '',
    'channel.name': routing.channelName,
  });
  const sent = await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'system',
    authorId: null,
    contentKind: 'text',
    body,
    meta,
    isReply: false,
  });
  return result(action.type, 'done', sent.id);
}

/** A private note for colleagues, shown as written by the rule (never sent). */
async function addNote(a: ActionContext, text: string, meta: Record<string, unknown>): Promise<ActionResult> {
  const { ctx, uow, conv } = a;
  const note = await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'system',
    authorId: null,
    contentKind: 'text',
    body: text,
    meta,
    isReply: false,
    private: true,
  });
  return result('add_note', 'done', note.id);
}
