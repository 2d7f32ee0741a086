import { ActionIcon, Button, Group, Indicator, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import type { Me, NotificationDto } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useUserNames } from '../../api/directory.ts';
import { BellIcon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { catchUpDesktop, notificationTitle } from './desktop-notify.ts';
import { useMarkNotificationsRead, useNotifications } from './notifications-api.ts';
import { useReadNotificationsOnOpen } from './read-on-open.ts';

/**
 * The header's bell: the unread count, and a list of who mentioned me or handed me a conversation.
 * Opening one goes to the conversation and marks it read.
 */
export function NotificationBell({ me }: { me: Me }) {
  const { t, lang, fmt } = useI18n();
  const qc = useQueryClient();
  const list = useNotifications();
  const mark = useMarkNotificationsRead();
  const users = useUserNames();
  const [opened, setOpened] = useState(false);
  const caughtUp = useRef(false);
  const unread = list.data?.unreadCount ?? 0;
  useReadNotificationsOnOpen();

  useEffect(() => {
    if (!list.data || caughtUp.current) return;
    caughtUp.current = true;
    catchUpDesktop(qc, list.data.items, me);
  }, [list.data, qc, me]);

  function open(n: NotificationDto) {
    setOpened(false);
    if (n.readAt === null) mark.mutate({ ids: [n.id] });
    navigate(`/inbox/all/${encodeURIComponent(n.conversationId)}`);
  }

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} withinPortal shadow="md">
      <Popover.Target>
        <Indicator
          disabled={unread === 0}
          label={unread > 99 ? '99+' : unread}
          size={16}
          color="red"
          offset={4}
          data-testid="notifications-unread"
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={unread ? t('notifications.openUnread', { count: unread }) : t('notifications.open')}
            data-testid="notifications-bell"
          >
            <BellIcon size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="notifications-panel">
        <Group justify="space-between" mb="xs" wrap="nowrap">
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            onClick={() => mark.mutate({ all: true })}
            data-testid="notifications-read-all"
          >
            {t('notifications.readAll')}
          </Button>
        </Group>
        {list.data && list.data.items.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="notifications-empty">
            {t('notifications.empty')}
          </Text>
        )}
        <Stack gap={4} mah={420} style={{ overflowY: 'auto' }}>
          {list.data?.items.map((n) => (
            <UnstyledButton
              key={n.id}
              onClick={() => open(n)}
              data-testid="notification"
              data-unread={n.readAt === null}
              p={6}
              style={{
                borderRadius: 6,
                background: n.readAt === null ? 'var(--mantine-color-blue-0)' : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" fw={n.readAt === null ? 600 : 400} data-testid="notification-title" truncate>
                  {notificationTitle(lang, n, n.actorId ? users.get(n.actorId)?.name : undefined)}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {fmt.when(n.createdAt)}
                </Text>
              </Group>
              {n.text && (
                <Text size="xs" c="dimmed" lineClamp={2} data-testid="notification-text">
                  {n.text}
                </Text>
              )}
            </UnstyledButton>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
