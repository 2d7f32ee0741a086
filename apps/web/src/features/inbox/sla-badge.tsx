import type { ConversationSla } from '@switchboard/shared';
import { Text } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { useNow } from '../../lib/use-now.ts';
import { formatWaiting } from './waiting.ts';

/** The nearest SLA target: time left until it is due, or "overdue", ticking while on screen. */
export function SlaBadge({ sla }: { sla: NonNullable<ConversationSla> }) {
  const { t, lang } = useI18n();
  const left = sla.dueAt - useNow();
  const overdue = sla.breached || left <= 0;
  const label = overdue
    ? t('row.slaOverdue')
    : t('row.slaLeft', { time: formatWaiting(lang, left, 'short') });
  return (
    <Text
      size="xs"
      fw={700}
      c={overdue ? 'red.9' : 'gray.7'}
      data-testid="row-sla"
      data-overdue={overdue}
      title={label}
      style={{ whiteSpace: 'nowrap', flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}
    >
      {label}
    </Text>
  );
}
