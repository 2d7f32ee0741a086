import { Alert, Text } from '@mantine/core';
import { useUserNames } from '../../api/directory.ts';
import type { Conversation, Me, Message } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMessages } from '../conversation/use-conversation-data.ts';

interface TransferMeta {
  toUserId: string | null;
  toTeamId: string | null;
}

const transferOf = (m: Message): TransferMeta | null => {
  const v = m.meta.transfer as TransferMeta | undefined;
  return v && typeof v === 'object' ? v : null;
};

/** The newest transfer comment among the loaded messages, if it was addressed to me and still holds. */
export function transferForMe(
  conv: Conversation,
  pages: { items: Message[] }[],
  me: { id: string; teamIds: string[] },
): Message | null {
  let newest: Message | null = null;
  for (const p of pages)
    for (const m of p.items) if (transferOf(m) && (!newest || m.createdAt > newest.createdAt)) newest = m;
  if (!newest) return null;
  const to = transferOf(newest)!;
  if (to.toUserId) return to.toUserId === me.id && conv.assigneeId === me.id ? newest : null;
  return to.toTeamId !== null &&
    to.toTeamId === conv.teamId &&
    conv.assigneeId === null &&
    me.teamIds.includes(to.toTeamId)
    ? newest
    : null;
}

/** What the colleague who handed the conversation over wrote: on top, before the history. */
export function TransferBanner({ conv, me }: { conv: Conversation; me: Me }) {
  const { t, fmt } = useI18n();
  const messages = useMessages(conv.id);
  const users = useUserNames();
  const mine = users.get(me.user.id);
  const note = transferForMe(conv, messages.data?.pages ?? [], {
    id: me.user.id,
    teamIds: mine?.teamIds ?? [],
  });
  if (!note) return null;
  const by = (note.authorId && users.get(note.authorId)?.name) || t('conv.operator');
  return (
    <Alert color="violet" variant="light" mx="md" mt="xs" p="xs" data-testid="transfer-banner">
      <Text size="xs" fw={600}>
        {t('transfer.banner', { name: by, time: fmt.when(note.createdAt) })}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="transfer-banner-text">
        {note.text}
      </Text>
    </Alert>
  );
}
