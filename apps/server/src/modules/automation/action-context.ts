import type { ActionResult } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { StoredRule } from './rule.store.ts';

/** What an action sees: the rule, the conversation as it is now, and the unit of work to write in. */
export interface ActionContext {
  ctx: AppContext;
  uow: UnitOfWork;
  rule: StoredRule;
  event: string;
  /** Re-read before each action, so every action sees the previous one's change. */
  conv: Row<'conversations'>;
  /** The trigger's id, stable across replays of the same job (webhook delivery id). */
  triggerKey: string;
  /** The message that started the rule (message.created), if any. */
  messageId: string | null;
  /** Set by actions that changed conversation columns or labels: one conversation.updated at the end. */
  changed: { conversation: boolean };
}

export const result = (
  type: string,
  status: ActionResult['status'],
  detail: string | null = null,
): ActionResult => ({ type, status, detail });
