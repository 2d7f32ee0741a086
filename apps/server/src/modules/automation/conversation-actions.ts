import type { ActionResult, AutomationAction } from '@switchboard/shared';
import { autoAssign, changeAssignee } from '../routing/assignment/assignment.service.ts';
import { loadChannelRoutingById } from '../routing/settings/routing-settings.ts';
import { type ActionContext, result } from './action-context.ts';

type ConvAction = Extract<
  AutomationAction,
  {
    type:
      | 'add_label'
      | 'remove_label'
      | 'set_priority'
      | 'assign_team'
      | 'assign_operator'
      | 'auto_assign'
      | 'set_status'
      | 'snooze'
      | 'mute';
  }
>;

/** Actions on the conversation itself, written in the rule's transaction. */
export async function runConversationAction(a: ActionContext, action: ConvAction): Promise<ActionResult> {
  const { uow, conv } = a;
  const tx = uow.tx;
  const now = a.ctx.clock.now();
  const touch = () => {
    a.changed.conversation = true;
  };
  switch (action.type) {
    case 'add_label': {
      const r = await tx
        .insertInto('conversation_labels')
        .values({ conversation_id: conv.id, account_id: conv.account_id, label: action.label })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return result(action.type, 'unchanged');
      touch();
      return result(action.type, 'done', action.label);
    }
    case 'remove_label': {
      const r = await tx
        .deleteFrom('conversation_labels')
        .where('conversation_id', '=', conv.id)
        .where('label', '=', action.label)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return result(action.type, 'unchanged');
      touch();
      return result(action.type, 'done', action.label);
    }
    case 'set_priority': {
      if (conv.priority === action.priority) return result(action.type, 'unchanged');
      await tx
        .updateTable('conversations')
        .set({ priority: action.priority, updated_at: now })
        .where('id', '=', conv.id)
        .execute();
      touch();
      return result(action.type, 'done', action.priority);
    }
    case 'assign_team': {
      const team = await tx
        .selectFrom('teams')
        .select('id')
        .where('id', '=', action.teamId)
        .where('account_id', '=', conv.account_id)
        .executeTakeFirst();
      if (!team) return result(action.type, 'error', 'no such team in this account');
      if (conv.team_id === action.teamId) return result(action.type, 'unchanged');
      await tx
        .updateTable('conversations')
        .set({ team_id: action.teamId, updated_at: now })
        .where('id', '=', conv.id)
        .execute();
      touch();
      return result(action.type, 'done', action.teamId);
    }
    case 'assign_operator': {
      const m = await tx
        .selectFrom('memberships')
        .select('active')
        .where('account_id', '=', conv.account_id)
        .where('user_id', '=', action.userId)
        .executeTakeFirst();
      if (m?.active !== 1) return result(action.type, 'error', 'no active user with this id in the account');
      if (conv.assignee_id === action.userId) return result(action.type, 'unchanged');
      const routing = await loadChannelRoutingById(tx, conv.channel_id);
      await changeAssignee(a.ctx, uow, conv, action.userId, 'manual', null, routing);
      return result(action.type, 'done', action.userId);
    }
    case 'auto_assign': {
      if (conv.assignee_id !== null) return result(action.type, 'unchanged', 'already assigned');
      const who = await autoAssign(a.ctx, uow, conv.id, { reason: 'auto' });
      return who
        ? result(action.type, 'done', who)
        : result(action.type, 'unchanged', 'nobody available, or the channel assigns manually');
    }
    case 'set_status': {
      if (conv.status === action.status) return result(action.type, 'unchanged');
      await tx
        .updateTable('conversations')
        .set({
          status: action.status,
          snoozed_until: null,
          resolved_at: action.status === 'resolved' ? now : null,
          updated_at: now,
        })
        .where('id', '=', conv.id)
        .execute();
      touch();
      return result(action.type, 'done', action.status);
    }
    case 'snooze': {
      const until = now + action.minutes * 60_000;
      await tx
        .updateTable('conversations')
        .set({ status: 'snoozed', snoozed_until: until, resolved_at: null, updated_at: now })
        .where('id', '=', conv.id)
        .execute();
      touch();
      return result(action.type, 'done', new Date(until).toISOString());
    }
    case 'mute': {
      const until = now + action.minutes * 60_000;
      await tx
        .insertInto('automation_mutes')
        .values({ conversation_id: conv.id, account_id: conv.account_id, until })
        .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ until }))
        .execute();
      return result(action.type, 'done', new Date(until).toISOString());
    }
  }
}
