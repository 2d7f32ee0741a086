import { Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MessagingWindow } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { COUNTDOWN_FROM_MS, formatRemaining, nextTickMs, remainingMs } from './window-clock.ts';

/** Largest delay setTimeout takes; a longer wait is simply taken in several steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Time left in an open window (null: unlimited, or already closed by the server's word), re-rendered
 * on each second of the last hour, so `closed` turns true the moment it runs out, without a refetch.
 */
export function useWindowClock(w: MessagingWindow | undefined, fetchedAt: number) {
  const [now, setNow] = useState(() => Date.now());
  const remaining = w?.open && w.closesAt !== null ? remainingMs(w.closesAt, w.now, fetchedAt, now) : null;
  useEffect(() => {
    if (remaining === null) return;
    const wait = nextTickMs(remaining);
    if (!Number.isFinite(wait)) return;
    // A few ms late rather than early, so the next render shows the next second.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(wait + 5, MAX_TIMEOUT_MS));
    return () => clearTimeout(timer);
  }, [remaining]);
  return { remaining, closed: remaining !== null && remaining <= 0 };
}

/** The last hour of the messaging window, counted down live, and what happens after it. */
export function WindowCountdown({
  remaining,
  fallback,
}: {
  remaining: number | null;
  fallback: MessagingWindow['fallback'];
}) {
  const { t } = useI18n();
  if (remaining === null || remaining <= 0 || remaining > COUNTDOWN_FROM_MS) return null;
  const urgent = remaining <= 10 * 60_000;
  return (
    <Group
      gap={6}
      px="sm"
      py={4}
      wrap="wrap"
      role="timer"
      data-testid="window-countdown"
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: urgent ? 'var(--mantine-color-orange-0)' : 'var(--mantine-color-gray-0)',
      }}
    >
      <Text size="xs" fw={600} c={urgent ? 'orange.9' : undefined}>
        {t('window.closesIn', { time: formatRemaining(remaining) })}
      </Text>
      <Text size="xs" c="dimmed">
        {fallback === 'template' ? t('window.thenTemplates') : t('window.thenNothing')}
      </Text>
    </Group>
  );
}
