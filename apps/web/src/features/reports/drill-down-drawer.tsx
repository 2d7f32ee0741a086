import { Anchor, Badge, Drawer, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Conversation, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { inboxHref } from '../inbox/inbox-route.ts';

export interface DrillDown {
  title: string;
  query: Record<string, string | number | undefined>;
}

/** The conversations behind a figure (GET /conversations with the report's drill-down filters). */
export function DrillDownDrawer({ drill, onClose }: { drill: DrillDown | null; onClose: () => void }) {
  const { t, fmt } = useI18n();
  const list = useQuery({
    queryKey: ['reports', 'drill', drill?.query],
    queryFn: () => get<Page<Conversation>>(`/api/v1/conversations${qs({ ...drill!.query, limit: 100 })}`),
    enabled: drill !== null,
  });
  return (
    <Drawer opened={drill !== null} onClose={onClose} position="right" title={drill?.title} size="md">
      {list.isPending && <Loader size="sm" />}
      {list.isError && <ErrorAlert error={list.error} />}
      {list.data && (
        <Stack gap="xs" data-testid="drill-list">
          {list.data.items.length === 0 && <Text c="dimmed">{t('reports.drill.none')}</Text>}
          {list.data.items.map((c) => {
            const href = inboxHref({ view: 'all', status: 'any' }, c.id);
            return (
              <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="drill-item">
                <Anchor
                  href={href}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(href);
                  }}
                >
                  {c.contact.name ?? t('reports.drill.noName')}
                </Anchor>
                <Group gap={6} wrap="nowrap">
                  <Badge variant="light">{c.channel.name}</Badge>
                  <Text size="xs" c="dimmed">
                    {fmt.when(c.createdAt)}
                  </Text>
                </Group>
              </Group>
            );
          })}
          {list.data.nextCursor && (
            <Text size="xs" c="dimmed">
              {t('reports.drill.more')}
            </Text>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
