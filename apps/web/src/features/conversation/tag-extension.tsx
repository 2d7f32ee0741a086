import { Button, Group, Text } from '@mantine/core';
import type { MessagingWindow } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** The provider tag an operator may still reply with now (the standard window closed), or null. */
export function usableTag(w: MessagingWindow | undefined, serverNow: number): MessagingWindow['tag'] {
  return w?.tag && serverNow < w.tag.closesAt ? w.tag : null;
}

/**
 * The standard window has closed but Meta's HUMAN_AGENT tag still lets a person answer (up to 7 days,
 * where the channel enables it): the operator chooses to reply with it, since it is meant for a human's
 * answer only.
 */
export function TagExtension({
  tag,
  using,
  onUse,
}: {
  tag: NonNullable<MessagingWindow['tag']>;
  using: boolean;
  onUse(): void;
}) {
  const { t, fmt } = useI18n();
  return (
    <Group
      gap={6}
      px="sm"
      py={4}
      justify="space-between"
      wrap="nowrap"
      data-testid="window-tag"
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: 'var(--mantine-color-blue-0)',
      }}
    >
      <Text size="xs">{t('window.tag.notice', { tag: tag.name, time: fmt.dateTime(tag.closesAt) })}</Text>
      {!using && (
        <Button
          size="compact-xs"
          variant="light"
          onClick={onUse}
          data-testid="window-tag-use"
          style={{ flexShrink: 0 }}
        >
          {t('window.tag.use', { tag: tag.name })}
        </Button>
      )}
    </Group>
  );
}
