import { Alert, Stack, Text } from '@mantine/core';
import type { Channel } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * What an admin must act on for a channel: the provider no longer accepts its token, or the provider
 * has not reached its webhook yet (for channels whose webhook URL is pasted into the provider's
 * dashboard, which is when the channel shows a verify token).
 */
export function channelHealthState(c: Pick<Channel, 'active' | 'health' | 'connection'>): {
  tokenInvalid: boolean;
  accountBlocked: boolean;
  webhookPending: boolean;
} {
  const h = c.health;
  // Meta's verify token, or VK's confirmation string: the URL is entered at the provider by hand.
  const pasted =
    typeof c.connection?.verifyToken === 'string' || typeof c.connection?.confirmationCode === 'string';
  return {
    tokenInvalid: h?.issue === 'token_invalid',
    accountBlocked: h?.issue === 'account_blocked',
    webhookPending: c.active && pasted && h !== undefined && h.webhookSeenAt === null,
  };
}

export function ChannelHealthNotice({ channel }: { channel: Channel }) {
  const { t, fmt } = useI18n();
  const { tokenInvalid, accountBlocked, webhookPending } = channelHealthState(channel);
  if (!tokenInvalid && !accountBlocked && !webhookPending) return null;
  return (
    <Stack gap={6}>
      {tokenInvalid && (
        <Alert
          color="red"
          variant="light"
          p="xs"
          title={t('admin.channels.health.tokenInvalid')}
          data-testid="channel-token-invalid"
        >
          <Text size="xs">
            {t('admin.channels.health.tokenInvalidHelp', { time: fmt.dateTime(channel.health?.since ?? 0) })}
          </Text>
          {channel.health?.detail && (
            <Text size="xs" c="dimmed">
              {channel.health.detail}
            </Text>
          )}
        </Alert>
      )}
      {accountBlocked && (
        <Alert
          color="red"
          variant="light"
          p="xs"
          title={t('admin.channels.health.accountBlocked')}
          data-testid="channel-account-blocked"
        >
          <Text size="xs">
            {t('admin.channels.health.accountBlockedHelp', {
              time: fmt.dateTime(channel.health?.since ?? 0),
            })}
          </Text>
          {channel.health?.detail && (
            <Text size="xs" c="dimmed">
              {channel.health.detail}
            </Text>
          )}
        </Alert>
      )}
      {webhookPending && (
        <Alert
          color="orange"
          variant="light"
          p="xs"
          title={t('admin.channels.health.webhookPending')}
          data-testid="channel-webhook-pending"
        >
          <Text size="xs">
            {t(
              typeof channel.connection?.confirmationCode === 'string'
                ? 'admin.channels.health.webhookPendingHelpVk'
                : 'admin.channels.health.webhookPendingHelp',
            )}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
