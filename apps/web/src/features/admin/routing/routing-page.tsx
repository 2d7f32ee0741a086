import { Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useChannels } from '../../../api/directory.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { navigate, useLocation } from '../../../lib/router.ts';
import { InboxSettingsCard } from './inbox-settings-card.tsx';
import { useChannelRouting } from './routing-api.ts';
import { RoutingSettingsForm } from './routing-settings-form.tsx';

export const routingHref = (channelId: string) => `/admin/routing?channel=${encodeURIComponent(channelId)}`;

/** Routing settings per channel; the channel is in the URL (?channel=) so the channels list links here. */
export function RoutingPage() {
  const { t } = useI18n();
  const loc = useLocation();
  const channels = useChannels();
  const requested = loc.query.get('channel');
  const list = channels.data ?? [];
  const channel = list.find((c) => c.id === requested) ?? list[0] ?? null;
  const routing = useChannelRouting(channel?.id ?? null);
  useEffect(() => {
    if (channel && channel.id !== requested) navigate(routingHref(channel.id), { replace: true });
  }, [channel, requested]);

  return (
    <Stack maw={900}>
      <Title order={1} size="h3">
        {t('routing.title')}
      </Title>
      <InboxSettingsCard />
      {channels.isError && <ErrorAlert error={channels.error} onRetry={() => void channels.refetch()} />}
      {channels.data?.length === 0 && <Text c="dimmed">{t('routing.noChannels')}</Text>}
      {list.length > 0 && (
        <Select
          label={t('routing.channel')}
          value={channel?.id ?? null}
          allowDeselect={false}
          searchable={list.length > 8}
          onChange={(v) => v && navigate(routingHref(v))}
          data={list.map((c) => ({ value: c.id, label: c.name }))}
          comboboxProps={{ withinPortal: true }}
          maw={420}
          data-testid="routing-channel"
        />
      )}
      {routing.isError && <ErrorAlert error={routing.error} onRetry={() => void routing.refetch()} />}
      {routing.isPending && channel && <Loader size="sm" aria-label={t('common.loading')} />}
      {channel && routing.data && routing.data.channelId === channel.id && (
        <RoutingSettingsForm key={channel.id} channel={channel} routing={routing.data} />
      )}
    </Stack>
  );
}
