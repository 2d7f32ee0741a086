import { Button, Checkbox, Group, Paper, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useI18n } from '../../../i18n/i18n.tsx';
import { splitMode, useSplitSelection } from './split-selection.ts';
import { moveErrorText, useSplitConversation } from './use-merge-split.ts';

/** Above the messages in split mode: how many are ticked, and moving them to a new conversation. */
export function SplitBar({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const selected = useSplitSelection(conversationId);
  const split = useSplitConversation(conversationId);
  // Leaving the conversation leaves split mode.
  useEffect(() => () => splitMode.stop(), []);
  if (!selected) return null;
  return (
    <Paper p="xs" radius={0} bg="var(--mantine-color-blue-light)" data-testid="split-bar">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {t('convSplit.hint')} {t('convSplit.selected', { count: selected.size })}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={splitMode.stop}>
            {t('common.cancel')}
          </Button>
          <Button
            size="xs"
            disabled={selected.size === 0}
            loading={split.isPending}
            onClick={() => split.mutate([...selected], { onSuccess: splitMode.stop })}
            data-testid="split-confirm"
          >
            {t('convSplit.move')}
          </Button>
        </Group>
      </Group>
      {split.isError && (
        <Text size="sm" c="red" role="alert">
          {t('convSplit.failed', { reason: moveErrorText(t, split.error) })}
        </Text>
      )}
    </Paper>
  );
}

/** A message's check box in split mode (nothing otherwise). */
export function SplitCheckbox({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const { t } = useI18n();
  const selected = useSplitSelection(conversationId);
  if (!selected) return null;
  return (
    <Checkbox
      size="sm"
      mt="sm"
      ml="xs"
      aria-label={t('convSplit.select')}
      checked={selected.has(messageId)}
      onChange={() => splitMode.toggle(messageId)}
      data-testid="split-check"
      data-message-id={messageId}
    />
  );
}
