import { PRIORITIES, type Priority } from '@switchboard/shared';
import { Button, Group, Select, TagsInput, Text } from '@mantine/core';
import { useTeams, useUsers } from '../../api/directory.ts';
import type { Conversation, Me } from '../../api/types.ts';
import { errorText } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { MergeSplitActions } from './merge-split/merge-split-actions.tsx';
import { SnoozeMenu } from './snooze-menu.tsx';
import { TransferButton } from '../transfer/transfer-dialog.tsx';
import { usePatchConversation } from './use-conversation-data.ts';

/** Assign, resolve/reopen, snooze, priority, team and labels for one conversation. */
export function ConversationActions({ conv, me }: { conv: Conversation; me: Me }) {
  const { t, fmt } = useI18n();
  const change = usePatchConversation(conv.id, me.user.id);
  const users = useUsers();
  const teams = useTeams();
  const mine = conv.assigneeId === me.user.id;
  // Supervisors hand conversations to anyone; an operator may transfer their own (the server's rule).
  const supervisor = me.role === 'admin' || me.role === 'supervisor';
  const busy = change.isPending;
  const resolved = conv.status === 'resolved';

  return (
    <Stack0>
      <Group gap="xs" wrap="wrap">
        {conv.status === 'bot' && (
          // Takes the conversation from its bot: assigned to me, open, the bot hears no more.
          <Button
            size="xs"
            color="cyan"
            onClick={() => change.mutate({ assigneeId: me.user.id })}
            disabled={busy}
            data-testid="action-take-over"
          >
            {t('action.takeOver')}
          </Button>
        )}
        {!mine && conv.status !== 'bot' ? (
          <Button
            size="xs"
            onClick={() => change.mutate({ assigneeId: me.user.id })}
            disabled={busy}
            data-testid="action-assign-me"
          >
            {t('action.assignToMe')}
          </Button>
        ) : (
          <Button
            size="xs"
            variant="default"
            onClick={() => change.mutate({ assigneeId: null })}
            disabled={busy}
            data-testid="action-unassign"
          >
            {t('action.unassign')}
          </Button>
        )}
        {resolved || conv.status === 'snoozed' ? (
          <Button
            size="xs"
            variant="default"
            onClick={() => change.mutate({ status: 'open' })}
            disabled={busy}
            data-testid="action-reopen"
          >
            {t('action.reopen')}
          </Button>
        ) : (
          <Button
            size="xs"
            color="green"
            onClick={() => change.mutate({ status: 'resolved' })}
            disabled={busy}
            data-testid="action-resolve"
          >
            {t('action.resolve')}
          </Button>
        )}
        {!resolved && (
          <SnoozeMenu
            disabled={busy}
            onSnooze={(until) => change.mutate({ status: 'snoozed', snoozedUntil: until })}
          />
        )}
        <Select
          size="xs"
          w={150}
          aria-label={t('action.priority')}
          value={conv.priority}
          allowDeselect={false}
          onChange={(v) => v && change.mutate({ priority: v as Priority })}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          data-testid="action-priority"
        />
        {(supervisor || mine) && users.data && (
          <Select
            size="xs"
            w={170}
            aria-label={t('action.assignTo')}
            placeholder={t('action.assignTo')}
            value={conv.assigneeId}
            clearable
            searchable
            onChange={(v) => change.mutate({ assigneeId: v })}
            data={users.data.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
          />
        )}
        <TransferButton conv={conv} me={me} />
        <MergeSplitActions conv={conv} />
        {teams.data && teams.data.length > 0 && (
          <Select
            size="xs"
            w={150}
            aria-label={t('action.team')}
            value={conv.teamId ?? ''}
            allowDeselect={false}
            onChange={(v) => change.mutate({ teamId: v || null })}
            data={[
              { value: '', label: t('action.noTeam') },
              ...teams.data.map((tm) => ({ value: tm.id, label: tm.name })),
            ]}
          />
        )}
      </Group>
      <TagsInput
        size="xs"
        aria-label={t('action.labels')}
        placeholder={t('action.addLabel')}
        value={conv.labels}
        onChange={(labels) => change.mutate({ labels })}
        maxTags={50}
        splitChars={[',']}
        data-testid="action-labels"
      />
      {conv.status === 'snoozed' && conv.snoozedUntil !== null && (
        <Text size="xs" c="dimmed">
          {t('action.snoozedUntil', { time: fmt.dateTime(conv.snoozedUntil) })}
        </Text>
      )}
      {change.isError && (
        <Text size="xs" c="red" role="alert">
          {t('action.failed', { reason: errorText(t, change.error) })}
        </Text>
      )}
    </Stack0>
  );
}

function Stack0({ children }: { children: React.ReactNode }) {
  return <div style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>{children}</div>;
}
