import { Group, Text, VisuallyHidden } from '@mantine/core';
import { ClockIcon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useNow } from '../../lib/use-now.ts';
import { formatWaiting, waitingLevel } from './waiting.ts';

// Text colours that keep 4.5:1 on a white and on a selected (light blue) row.
const COLOR = { fresh: 'gray.7', long: 'orange.9', overdue: 'red.9' } as const;

/** How long the customer has waited since their oldest unanswered message, growing while on screen. */
export function WaitingBadge({ since }: { since: number }) {
  const { t, lang } = useI18n();
  const ms = Math.max(0, useNow() - since);
  const level = waitingLevel(ms);
  const long = t('row.waiting', { time: formatWaiting(lang, ms, 'long') });
  return (
    <Group
      gap={3}
      wrap="nowrap"
      c={COLOR[level]}
      data-testid="row-waiting"
      data-level={level}
      title={long}
      style={{ flexShrink: 0 }}
    >
      <ClockIcon size={12} />
      <VisuallyHidden>{long}</VisuallyHidden>
      <Text
        size="xs"
        fw={level === 'fresh' ? 500 : 700}
        c="inherit"
        aria-hidden
        data-testid="row-waiting-short"
        style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
      >
        {formatWaiting(lang, ms, 'short')}
      </Text>
    </Group>
  );
}
