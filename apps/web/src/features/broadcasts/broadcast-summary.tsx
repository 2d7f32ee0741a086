import { Badge, Group, Progress, Text } from '@mantine/core';
import type { Channel } from '../../api/types.ts';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import type { Formatters } from '../../i18n/format.ts';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { decidedPercent, delivered, progressSections, refused } from './broadcast-figures.ts';
import type { Broadcast } from './broadcasts-api.ts';

export function broadcastTitle(t: Translate, fmt: Formatters, b: Broadcast): string {
  return b.name ?? t('broadcasts.unnamed', { date: fmt.dateTime(b.createdAt) });
}

export function StatusBadge({ b }: { b: Broadcast }) {
  const { t } = useI18n();
  return (
    <Badge
      variant="light"
      color={b.status === 'running' ? 'blue' : 'teal'}
      data-testid="broadcast-status"
      data-status={b.status}
    >
      {t(`broadcasts.status.${b.status}`)}
    </Badge>
  );
}

export function ChannelName({ channel }: { channel: Channel | undefined }) {
  const { t } = useI18n();
  const name = channel?.name ?? t('broadcasts.unknownChannel');
  return (
    <Group gap={4} wrap="nowrap" miw={0}>
      {channel && <ChannelIcon type={channel.type} title={channel.name} />}
      <Text size="sm" truncate>
        {name}
      </Text>
    </Group>
  );
}

/** The bar: one coloured section per decided outcome; the empty rest is who is still waiting. */
export function BroadcastProgress({ b }: { b: Broadcast }) {
  const { t, fmt } = useI18n();
  const c = b.counts;
  const done = c.total - c.pending;
  return (
    <div>
      <Progress.Root
        size="lg"
        role="progressbar"
        aria-label={t('broadcasts.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={decidedPercent(c)}
        data-testid="broadcast-progress"
      >
        {progressSections(c).map((s) => (
          <Progress.Section key={s.outcome} value={s.value} color={s.color} />
        ))}
      </Progress.Root>
      {b.status === 'running' && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('broadcasts.progress', { done: fmt.number(done), total: fmt.number(c.total) })}
        </Text>
      )}
    </div>
  );
}

/** Queued, refused and delivered, in a line that wraps on a phone. */
export function BroadcastFigures({ b }: { b: Broadcast }) {
  const { t, fmt } = useI18n();
  return (
    <Group gap="md" wrap="wrap" data-testid="broadcast-figures">
      <Text size="sm" data-testid="figure-queued">
        {t('broadcasts.figure.queued', { n: fmt.number(b.counts.queued) })}
      </Text>
      <Text size="sm" data-testid="figure-refused">
        {t('broadcasts.figure.refused', { n: fmt.number(refused(b.counts)) })}
      </Text>
      <Text size="sm" data-testid="figure-delivered">
        {t('broadcasts.figure.delivered', { n: fmt.number(delivered(b.delivery)) })}
      </Text>
    </Group>
  );
}
