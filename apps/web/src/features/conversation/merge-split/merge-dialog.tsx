import { Badge, Button, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Conversation } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { ChannelIcon } from '../../inbox/channel-icon.tsx';
import {
  moveErrorText,
  useMergeCandidates,
  useMergeConversation,
  useMergePreview,
} from './use-merge-split.ts';

/**
 * "Merge with…": the customer's other conversations; picking one shows what this conversation will have
 * (the server's preview, by its rule), and merging moves its messages here. This one stays on screen.
 */
export function MergeDialog({
  conv,
  opened,
  onClose,
}: {
  conv: Conversation;
  opened: boolean;
  onClose(): void;
}) {
  const { t, fmt } = useI18n();
  const [other, setOther] = useState<string | null>(null);
  const candidates = useMergeCandidates(conv, opened);
  const preview = useMergePreview(conv.id, opened ? other : null);
  const merge = useMergeConversation(conv.id);
  const close = () => {
    setOther(null);
    merge.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('convMerge.title')} size="lg">
      <Stack gap="sm" data-testid="merge-dialog">
        <Text size="sm" c="dimmed">
          {t('convMerge.intro')}
        </Text>
        {candidates.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
        {candidates.isError && (
          <ErrorAlert error={candidates.error} onRetry={() => void candidates.refetch()} />
        )}
        {candidates.data?.length === 0 && (
          <Text c="dimmed" data-testid="merge-none">
            {t('convMerge.none')}
          </Text>
        )}
        {candidates.data?.map((c) => (
          <Paper
            key={c.id}
            withBorder
            p="sm"
            data-testid="merge-candidate"
            data-id={c.id}
            bg={other === c.id ? 'var(--mantine-color-blue-light)' : undefined}
          >
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={2} miw={0}>
                <Group gap={6} wrap="nowrap">
                  <ChannelIcon type={c.channel.type} title={c.channel.name} />
                  <Text size="sm" fw={500} truncate>
                    {c.channel.name}
                  </Text>
                  <Badge size="xs" variant="light">
                    {t(`status.single.${c.status}`)}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" truncate>
                  {t('convMerge.started', { time: fmt.dateTime(c.createdAt) })} · {c.lastMessagePreview ?? ''}
                </Text>
              </Stack>
              <Button size="xs" variant="default" onClick={() => setOther(c.id)} disabled={merge.isPending}>
                {t('convMerge.pick')}
              </Button>
            </Group>
          </Paper>
        ))}
        {other && preview.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
        {other && preview.isError && <Text c="red">{moveErrorText(t, preview.error)}</Text>}
        {other && preview.data && (
          <Paper withBorder p="sm" data-testid="merge-preview">
            <Text size="sm">{t('convMerge.moves', { count: preview.data.moves.messages })}</Text>
            <Text size="sm">
              {t('convMerge.result', {
                status: t(`status.single.${preview.data.result.status}`),
                labels: preview.data.result.labels.join(', ') || t('convMerge.noLabels'),
              })}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              {t('convMerge.rule')}
            </Text>
          </Paper>
        )}
        {merge.isError && (
          <Text c="red" role="alert">
            {t('convMerge.failed', { reason: moveErrorText(t, merge.error) })}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!other || !preview.data}
            loading={merge.isPending}
            onClick={() => other && merge.mutate(other, { onSuccess: close })}
            data-testid="merge-confirm"
          >
            {t('convMerge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
