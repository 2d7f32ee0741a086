import { Anchor, Button, Code, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { useChannels } from '../../api/directory.ts';
import { useMe } from '../../api/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import type { InboxFilter } from '../inbox/inbox-filter.ts';
import { inboxHref } from '../inbox/inbox-route.ts';

/** The terminal command that starts the demo (not translated: it is typed as it is). */
export const DEMO_COMMAND = 'npm run demo';

const go = (href: string) => (e: MouseEvent) => {
  e.preventDefault();
  navigate(href);
};

function Step({ n, title, help, children }: { n: number; title: string; help: string; children: ReactNode }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="sm" component="li">
      <ThemeIcon radius="xl" size="md" variant="light" aria-hidden>
        {n}
      </ThemeIcon>
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="sm" c="dimmed">
          {help}
        </Text>
        {children}
      </Stack>
    </Group>
  );
}

/**
 * What an empty conversation list says. A center with no channel gets its first steps (an admin: connect
 * a channel, invite operators, try the demo; anyone else: who can connect one); a list that is only
 * empty under the current view points to the views that may hold conversations.
 */
export function InboxEmpty({ filter }: { filter: InboxFilter }) {
  const { t } = useI18n();
  const me = useMe().data;
  const channels = useChannels();
  if (channels.isPending) return null;
  const noChannels = (channels.data ?? []).length === 0;
  if (noChannels && me?.role === 'admin')
    return (
      <Paper withBorder p="md" m="sm" data-testid="inbox-getting-started">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('start.title')}
          </Title>
          <Text size="sm">{t('start.intro')}</Text>
          <Stack component="ol" gap="md" p={0} m={0} style={{ listStyle: 'none' }}>
            <Step n={1} title={t('start.channel')} help={t('start.channelHelp')}>
              <Button
                component="a"
                href="/admin/channels"
                onClick={go('/admin/channels')}
                size="xs"
                style={{ alignSelf: 'flex-start' }}
                data-testid="start-connect-channel"
              >
                {t('start.channel')}
              </Button>
            </Step>
            <Step n={2} title={t('start.invite')} help={t('start.inviteHelp')}>
              <Button
                component="a"
                href="/admin/users"
                onClick={go('/admin/users')}
                size="xs"
                variant="default"
                style={{ alignSelf: 'flex-start' }}
                data-testid="start-invite"
              >
                {t('start.invite')}
              </Button>
            </Step>
            <Step n={3} title={t('start.demo')} help={t('start.demoHelp')}>
              <Code data-testid="start-demo-command">{DEMO_COMMAND}</Code>
            </Step>
          </Stack>
        </Stack>
      </Paper>
    );
  if (noChannels)
    return (
      <Text size="sm" c="dimmed" p="xl" ta="center" data-testid="inbox-no-channel">
        {t('start.operator')}
      </Text>
    );
  // Where else conversations may be: unassigned ones (what a new operator's "mine" lacks), then everything.
  const links: { view: 'unassigned' | 'all'; href: string }[] = [];
  if (filter.view === 'mine')
    links.push({ view: 'unassigned', href: inboxHref({ view: 'unassigned', status: 'open' }) });
  const narrowed = filter.view !== 'all' || filter.status !== 'any' || !!filter.channel || !!filter.team;
  if (narrowed) links.push({ view: 'all', href: inboxHref({ view: 'all', status: 'any' }) });
  return (
    <Stack align="center" p="xl" gap="xs" data-testid="inbox-empty">
      <Text c="dimmed" size="sm" ta="center">
        {narrowed ? t('start.otherViews') : t('start.quiet')}
      </Text>
      {narrowed && (
        <Group gap="md" justify="center">
          {links.map(({ view, href }) => (
            <Anchor key={view} href={href} onClick={go(href)} size="sm" data-testid={`inbox-empty-${view}`}>
              {t(view === 'all' ? 'start.viewAll' : 'start.viewUnassigned')}
            </Anchor>
          ))}
        </Group>
      )}
    </Stack>
  );
}
