import type { BotMenu } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { handOff } from './handoff.service.ts';

/** The id a menu button sends back when tapped (Telegram callback data, WhatsApp reply id). */
export function menuChoiceId(n: number): string {
  return `menu:${n}`;
}

/** "1. Delivery\n2. Returns…": the numbers are the answer on channels without buttons. */
export function menuText(lead: string, menu: BotMenu): string {
  return [lead, '', ...menu.options.map((o, i) => `${i + 1}. ${o.title}`)].join('\n');
}

/** Which option the customer chose: a tapped button, or a message that is just its number. */
export function chosenOption(
  menu: BotMenu,
  text: string | null,
  meta: Record<string, unknown>,
): number | null {
  const tapped = typeof meta.buttonId === 'string' ? /^menu:(\d)$/.exec(meta.buttonId) : null;
  const typed = /^\s*(\d)\s*[.)]?\s*$/.exec(text ?? '');
  const n = Number((tapped ?? typed)?.[1] ?? 0);
  return n >= 1 && n <= menu.options.length ? n : null;
}

async function say(
  ctx: AppContext,
  uow: UnitOfWork,
  bot: Row<'bots'>,
  conv: Row<'conversations'>,
  text: string,
  menu: BotMenu | null,
): Promise<void> {
  await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'bot',
    authorId: bot.id,
    contentKind: 'text',
    body: menu ? menuText(text, menu) : text,
    // Buttons where the channel has them (short titles), the numbered text everywhere else.
    meta: menu
      ? {
          bot: { id: bot.id, name: bot.name },
          buttonsFallback: 'none' as const,
          buttons: menu.options.map((o, i) => ({
            id: menuChoiceId(i + 1),
            title: `${i + 1}. ${o.title}`.slice(0, 20),
          })),
        }
      : { bot: { id: bot.id, name: bot.name } },
    isReply: false,
  });
}

/**
 * The built-in menu bot, in the customer's message's transaction: a new conversation gets the greeting
 * and the numbered options; a number (or a tapped button) runs its option; anything else repeats the
 * menu. True while the bot keeps the conversation.
 */
export async function runMenu(
  ctx: AppContext,
  uow: UnitOfWork,
  bot: Row<'bots'>,
  conv: Row<'conversations'>,
  e: { conversationCreated: boolean; text: string | null; meta?: Record<string, unknown> },
): Promise<boolean> {
  const menu = JSON.parse(bot.menu ?? 'null') as BotMenu | null;
  if (!menu) return true;
  if (e.conversationCreated) {
    await say(ctx, uow, bot, conv, menu.greeting, menu);
    return true;
  }
  const n = chosenOption(menu, e.text, e.meta ?? {});
  if (n === null) {
    await say(ctx, uow, bot, conv, menu.fallback ?? menu.greeting, menu);
    return true;
  }
  const o = menu.options[n - 1]!;
  const author = { kind: 'bot' as const, id: bot.id };
  if (o.action === 'reply') {
    await say(ctx, uow, bot, conv, o.reply!, menu);
    return true;
  }
  if (o.reply) await say(ctx, uow, bot, conv, o.reply, null);
  if (o.action === 'label' && o.label) {
    await uow.tx
      .insertInto('conversation_labels')
      .values({ conversation_id: conv.id, account_id: conv.account_id, label: o.label })
      .onConflict((c) => c.doNothing())
      .execute();
  }
  await handOff(ctx, uow, conv, {
    reason: 'menu',
    author: { ...author, name: bot.name },
    ...(o.action === 'team' && o.teamId ? { teamId: o.teamId } : {}),
  });
  return false;
}
