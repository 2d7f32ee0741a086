import { Badge } from '@mantine/core';
import { useI18n } from '../i18n/i18n.tsx';
import { useLiveStatus } from '../realtime/live-provider.tsx';

const COLOR = { live: 'green', connecting: 'yellow', offline: 'red' } as const;

/** Tells the operator whether what they see is live or may be missing updates. */
export function LiveIndicator({ compact }: { compact?: boolean }) {
  const { t } = useI18n();
  const status = useLiveStatus();
  return (
    <Badge
      color={COLOR[status]}
      variant={status === 'live' ? 'dot' : 'light'}
      role="status"
      aria-live="polite"
      data-testid="live-status"
      data-status={status}
      title={t(`live.${status}`)}
    >
      {compact && status === 'live' ? '' : t(`live.${status}`)}
    </Badge>
  );
}
