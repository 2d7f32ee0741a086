import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTeams, useUsers } from '../../api/directory.ts';
import type { Conversation, Me } from '../../api/types.ts';
import { errorText } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { usePatchConversation } from '../conversation/use-conversation-data.ts';

/**
 * "Transfer…": hand the conversation to an operator or a team with a comment the receiver sees first.
 * Offered to supervisors and to the conversation's assignee (the server's rule for reassigning).
 */
export function TransferButton({ conv, me }: { conv: Conversation; me: Me }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const supervisor = me.role === 'admin' || me.role === 'supervisor';
  if (!supervisor && conv.assigneeId !== me.user.id) return null;
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)} data-testid="action-transfer">
        {t('transfer.open')}
      </Button>
      {open && <TransferDialog conv={conv} me={me} onClose={() => setOpen(false)} />}
    </>
  );
}

function TransferDialog({ conv, me, onClose }: { conv: Conversation; me: Me; onClose(): void }) {
  const { t } = useI18n();
  const users = useUsers();
  const teams = useTeams();
  const change = usePatchConversation(conv.id, me.user.id);
  const [userId, setUserId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const ready = (userId !== null || teamId !== null) && note.trim().length > 0;

  function submit() {
    if (!ready) return;
    change.mutate(
      {
        ...(userId !== null ? { assigneeId: userId } : {}),
        ...(teamId !== null ? { teamId } : {}),
        note: note.trim(),
      },
      { onSuccess: onClose },
    );
  }

  return (
    <Modal opened onClose={onClose} title={t('transfer.title')} data-testid="transfer-dialog">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('transfer.intro')}
        </Text>
        <Select
          label={t('transfer.operator')}
          placeholder={t('transfer.anyone')}
          clearable
          searchable
          value={userId}
          onChange={setUserId}
          data={(users.data ?? [])
            .filter((u) => u.active && u.id !== conv.assigneeId)
            .map((u) => ({ value: u.id, label: u.name }))}
          data-testid="transfer-operator"
        />
        <Select
          label={t('transfer.team')}
          placeholder={t('transfer.sameTeam')}
          clearable
          value={teamId}
          onChange={setTeamId}
          data={(teams.data ?? [])
            .filter((tm) => tm.id !== conv.teamId)
            .map((tm) => ({ value: tm.id, label: tm.name }))}
          data-testid="transfer-team"
        />
        <Textarea
          label={t('transfer.note')}
          placeholder={t('transfer.notePlaceholder')}
          autosize
          minRows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="transfer-note"
        />
        {change.isError && (
          <Text size="sm" c="red" role="alert">
            {errorText(t, change.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!ready} loading={change.isPending} data-testid="transfer-submit">
            {t('transfer.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
