import { Badge, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { type MessageKey, useI18n } from '../../../i18n/i18n.tsx';
import {
  CENTER_MODES,
  type CenterMode,
  type CenterStatus,
  type ChannelCenterStatus,
  useCenterStatus,
} from './routing-api.ts';

function reasonKey(c: ChannelCenterStatus): MessageKey {
  if (c.reason === 'forced_online' || c.reason === 'forced_offline')
    return `center.reason.${c.reason}.${c.forcedBy === 'channel' ? 'channel' : 'account'}`;
  return `center.reason.${c.reason}`;
}

function ModeControl({
  value,
  onChange,
  label,
  auto,
  disabled,
  testId,
}: {
  value: CenterMode;
  onChange(m: CenterMode): void;
  label: string;
  /** What "auto" is called here: computed (the account) or "as the whole center" (a channel). */
  auto: MessageKey;
  disabled: boolean;
  testId: string;
}) {
  const { t } = useI18n();
  const wide = useMediaQuery('(min-width: 40em)', true);
  return (
    <SegmentedControl
      aria-label={label}
      value={value}
      onChange={(v) => onChange(v as CenterMode)}
      disabled={disabled}
      orientation={wide ? 'horizontal' : 'vertical'}
      fullWidth={!wide}
      data={CENTER_MODES.map((m) => ({
        value: m,
        label: m === 'auto' ? t(auto) : t(`center.mode.${m}`),
      }))}
      data-testid={testId}
      data-value={value}
    />
  );
}

/** Whether the center is online, overall and per channel, and why; admins force it either way. */
export function CenterPage() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const status = useCenterStatus();
  const setMode = useMutation({
    mutationFn: ({ channelId, mode }: { channelId: string | null; mode: CenterMode }) =>
      channelId === null
        ? post<CenterStatus>('/api/v1/center/status', { mode })
        : post<CenterStatus>(`/api/v1/center/channels/${encodeURIComponent(channelId)}`, { mode }),
    onSuccess: (s) => qc.setQueryData(['center-status'], s),
  });
  const data = status.data;

  return (
    <Stack maw={900}>
      <Title order={1} size="h3">
        {t('center.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('center.help')}
      </Text>
      {status.isError && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
      {setMode.isError && <ErrorAlert error={setMode.error} />}
      {data && (
        <>
          <Paper withBorder p="md" data-testid="center-account">
            <Stack gap="xs">
              <Title order={2} size="h5">
                {t('center.account')}
              </Title>
              <Text size="xs" c="dimmed">
                {t(`center.accountMode.${data.mode}`)}
              </Text>
              <ModeControl
                value={data.mode}
                label={t('center.accountModeLabel')}
                auto="center.mode.auto"
                disabled={setMode.isPending}
                onChange={(mode) => setMode.mutate({ channelId: null, mode })}
                testId="center-account-mode"
              />
            </Stack>
          </Paper>
          <Title order={2} size="h4">
            {t('center.channels')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('center.channelOverride')}
          </Text>
          {data.channels.length === 0 && <Text c="dimmed">{t('center.noChannels')}</Text>}
          {data.channels.map((c) => (
            <Paper
              key={c.channelId}
              withBorder
              p="md"
              data-testid="center-channel"
              data-channel-id={c.channelId}
              data-online={c.online}
            >
              <Stack gap="xs">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text fw={600}>{c.name}</Text>
                  <Badge
                    color={c.online ? 'green' : 'gray'}
                    variant="light"
                    data-testid="center-channel-state"
                  >
                    {c.online ? t('center.online') : t('center.offline')}
                  </Badge>
                </Group>
                <Text size="sm" data-testid="center-channel-reason">
                  {t(reasonKey(c))}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('center.operatorsOnline', { n: c.operatorsOnline })}
                  {!c.scheduleOpen &&
                    c.nextOpenAt !== null &&
                    ` · ${t('center.nextOpen', { when: fmt.dateTime(c.nextOpenAt) })}`}
                </Text>
                {c.channelMode !== undefined && (
                  <ModeControl
                    value={c.channelMode}
                    label={t('center.channelModeLabel', { name: c.name })}
                    auto="center.mode.follow"
                    disabled={setMode.isPending}
                    onChange={(mode) => setMode.mutate({ channelId: c.channelId, mode })}
                    testId="center-channel-mode"
                  />
                )}
              </Stack>
            </Paper>
          ))}
        </>
      )}
    </Stack>
  );
}
