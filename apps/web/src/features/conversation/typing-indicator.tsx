import { Text } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import type { TypingEntry } from '../../realtime/live-activity.ts';

/**
 * "Maria is typing…" above the composer: the customer (where the channel tells us: the site widget)
 * and colleagues writing a reply or a note in this conversation. Announced politely to screen readers.
 */
export function TypingIndicator({
  typing,
  meId,
  contactName,
}: {
  typing: TypingEntry[];
  meId: string;
  contactName: string;
}) {
  const { t } = useI18n();
  const lines = typing
    .filter((e) => !(e.who.kind === 'user' && e.who.userId === meId))
    .map((e) =>
      e.who.kind === 'contact'
        ? t('live.customerTyping', { name: contactName })
        : e.private
          ? t('live.colleagueWritingNote', { name: e.who.name })
          : t('live.colleagueTyping', { name: e.who.name }),
    );
  return (
    <div aria-live="polite" data-testid="typing-indicator" data-active={lines.length > 0 || undefined}>
      {lines.length > 0 && (
        <Text size="xs" c="dimmed" fs="italic" px="sm" py={2} truncate>
          {lines.join(' · ')}
        </Text>
      )}
    </div>
  );
}
