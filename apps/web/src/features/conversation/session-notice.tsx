import { Text } from '@mantine/core';
import type { MessagingWindow } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * The provider's free session (Viber's 24 hours after the customer's last message), shown like a window:
 * replies go either way, but outside it the provider bills each one.
 */
export function SessionNotice({ session }: { session: MessagingWindow['session'] }) {
  const { t, fmt } = useI18n();
  if (!session) return null;
  const billable = session.billable || session.closesAt === null;
  return (
    <Text
      size="xs"
      px="sm"
      py={4}
      data-testid="session-notice"
      c={billable ? 'orange.9' : 'dimmed'}
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: billable ? 'var(--mantine-color-orange-0)' : 'var(--mantine-color-gray-0)',
      }}
    >
      {billable
        ? t('window.session.billable')
        : t('window.session.free', { time: fmt.dateTime(session.closesAt ?? 0) })}
    </Text>
  );
}
