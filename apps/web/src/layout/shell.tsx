import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useLogout } from '../api/session.ts';
import type { Me } from '../api/types.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useAccountSwitcher } from '../features/accounts/account-switcher.tsx';
import { type InboxFilter, VIEWS } from '../features/inbox/inbox-filter.ts';
import { inboxFromLocation, inboxHref } from '../features/inbox/inbox-route.ts';
import { isUnread } from '../features/inbox/unread.ts';
import { useConversationCounts } from '../features/inbox/use-counts.ts';
import { useConversationList } from '../features/inbox/use-conversations.ts';
import { PresenceSelect } from '../features/presence/presence-select.tsx';
import { SearchBox } from '../features/search/search-box.tsx';
import { LANGS, type Lang, useI18n } from '../i18n/i18n.tsx';
import { type Location, navigate, useLocation } from '../lib/router.ts';
import { LiveIndicator } from './live-indicator.tsx';
import { CommandPalette } from './palette/command-palette.tsx';
import { usePaletteKey } from './palette/use-palette-key.ts';
import { ShortcutsHelp, useKeys } from './shortcuts-help.tsx';
import { BotViewLink } from '../features/bots/bot-view-link.tsx';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { SavedViewsNav } from '../features/views/saved-views-nav.tsx';

function Link({
  href,
  onNavigate,
  ...rest
}: { href: string; onNavigate?: () => void } & Record<string, unknown>) {
  return (
    <NavLink
      href={href}
      onClick={(e: React.MouseEvent) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
        onNavigate?.();
      }}
      {...rest}
    />
  );
}

function ViewLink({
  loc,
  view,
  onNavigate,
}: {
  loc: Location;
  view: (typeof VIEWS)[number];
  onNavigate: () => void;
}) {
  const { t, fmt } = useI18n();
  const current = inboxFromLocation(loc);
  const filter = { ...current.filter, view };
  const counts = useConversationCounts(filter);
  const n = counts.data?.views[view];
  const count = n === undefined ? null : fmt.number(n);
  const active = loc.segments[0] === 'inbox' && current.filter.view === view;
  return (
    <Link
      href={inboxHref(filter)}
      onNavigate={onNavigate}
      label={t(`view.${view}`)}
      active={active}
      aria-current={active ? 'page' : undefined}
      data-testid={`view-${view}`}
      rightSection={
        count !== null && (
          <Badge
            size="sm"
            variant={active ? 'filled' : 'light'}
            circle={count.length < 2}
            data-testid={`count-${view}`}
          >
            {count}
          </Badge>
        )
      }
    />
  );
}

function NotificationsItem() {
  const { t } = useI18n();
  const [perm, setPerm] = useState(typeof Notification === 'undefined' ? 'denied' : Notification.permission);
  if (perm === 'denied') return null;
  return (
    <Menu.Item
      disabled={perm === 'granted'}
      onClick={() => void Notification.requestPermission().then(setPerm)}
    >
      {perm === 'granted' ? t('notify.enabled') : t('notify.enable')}
    </Menu.Item>
  );
}

/** The frame around every signed-in screen: header (live state, presence, account menu) and navigation. */
export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const loc = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const wide = useMediaQuery('(min-width: 48em)', true);
  const logout = useLogout();
  const [helpOpen, help] = useDisclosure(false);
  const [paletteOpen, palette] = useDisclosure(false);
  usePaletteKey(palette.toggle);
  const current = inboxFromLocation(loc).filter;
  useUnreadTitle(me, current);
  const searchRef = useRef<HTMLInputElement>(null);
  useKeys({
    '?': help.open,
    // The header's box, or the search screen's own (the header hides its box there).
    '/': () => {
      const box = searchRef.current ?? document.querySelector<HTMLInputElement>('[data-testid=search-input]');
      if (box) box.focus();
      else navigate('/search');
    },
    '1': () => navigate(inboxHref({ ...current, view: 'mine' })),
    '2': () => navigate(inboxHref({ ...current, view: 'unassigned' })),
    '3': () => navigate(inboxHref({ ...current, view: 'all' })),
  });
  const accountSwitcher = useAccountSwitcher();
  const isAdmin = me.role === 'admin';
  const supervises = isAdmin || me.role === 'supervisor';
  const adminLinks = [
    ['channels', t('nav.channels')],
    ['users', t('nav.users')],
    ['teams', t('nav.teams')],
    ['schedules', t('nav.schedules')],
    ['routing', t('nav.routing')],
    ['center', t('nav.center')],
    ['automation', t('nav.automation')],
    ['sla', t('nav.sla')],
    ['attributes', t('nav.attributes')],
    ['tokens', t('nav.tokens')],
    ['audit', t('nav.audit')],
    ['dead-events', t('nav.deadEvents')],
    ['webhooks', t('nav.webhooks')],
    ['bots', t('nav.bots')],
  ] as const;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={0}
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('common.menu')}
            />
            <Text fw={700} size={wide ? 'lg' : 'md'} c="blue.8" truncate>
              Switchboard
            </Text>
            {wide && (
              <Text size="sm" c="dimmed" truncate>
                {me.account.name}
              </Text>
            )}
            {wide && loc.segments[0] !== 'search' && (
              <SearchBox
                ref={searchRef}
                w={260}
                initial={loc.segments[0] === 'search' ? (loc.query.get('q') ?? '') : ''}
              />
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LiveIndicator compact={!wide} />
            <PresenceSelect me={me} compact={!wide} />
            <NotificationBell me={me} />
            {wide && <LanguageSwitch />}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton
                  aria-label={t('nav.signedInAs', { name: me.user.name })}
                  data-testid="user-menu"
                >
                  <Avatar size={32} radius="xl" color="blue" style={{ cursor: 'pointer' }}>
                    {initials(me.user.name)}
                  </Avatar>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('nav.signedInAs', { name: me.user.name })}</Menu.Label>
                <Menu.Label>{t(`role.${me.role}`)}</Menu.Label>
                <Menu.Label data-testid="current-account">{me.account.name}</Menu.Label>
                {accountSwitcher.items}
                {!wide && (
                  <>
                    <Menu.Divider />
                    <Menu.Label>{t('common.language')}</Menu.Label>
                    {LANGS.map((l) => (
                      <Menu.Item
                        key={l.value}
                        onClick={() => setLang(l.value as Lang)}
                        disabled={l.value === lang}
                      >
                        {l.label}
                      </Menu.Item>
                    ))}
                  </>
                )}
                <Menu.Divider />
                <NotificationsItem />
                <Menu.Item onClick={() => navigate('/security')} data-testid="nav-security">
                  {t('nav.security')}
                </Menu.Item>
                <Menu.Item onClick={help.open}>{t('shortcuts.title')}</Menu.Item>
                <Menu.Item color="red" onClick={() => logout.mutate()} data-testid="sign-out">
                  {t('nav.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('nav.inbox')}>
        <ScrollArea>
          <Stack gap={2}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>
              {t('nav.inbox')}
            </Text>
            {VIEWS.map((v) => (
              <ViewLink key={v} loc={loc} view={v} onNavigate={close} />
            ))}
            <BotViewLink loc={loc} onNavigate={close} />
            <SavedViewsNav me={me} loc={loc} onNavigate={close} />
            {(
              [
                ['search', t('search.title'), 'nav-search', true],
                ['contacts', t('nav.contacts'), 'nav-contacts', true],
                ['templates', t('nav.templates'), 'nav-templates', true],
                ['team', t('nav.supervise'), 'nav-team', supervises],
                ['reports', t('nav.reports'), 'nav-reports', supervises],
                ['broadcasts', t('nav.broadcasts'), 'nav-broadcasts', supervises],
              ] as const
            ).map(
              ([segment, label, testId, shown]) =>
                shown && (
                  <Link
                    key={segment}
                    href={`/${segment}`}
                    label={label}
                    onNavigate={close}
                    active={loc.segments[0] === segment}
                    data-testid={testId}
                  />
                ),
            )}
            {isAdmin && (
              <>
                <Divider my="sm" />
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>
                  {t('nav.admin')}
                </Text>
                {adminLinks.map(([key, label]) => (
                  <Link
                    key={key}
                    href={`/admin/${key}`}
                    label={label}
                    onNavigate={close}
                    active={loc.segments[0] === 'admin' && loc.segments[1] === key}
                    data-testid={`nav-${key}`}
                  />
                ))}
              </>
            )}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>

      <ShortcutsHelp opened={helpOpen} onClose={help.close} />
      <CommandPalette me={me} opened={paletteOpen} onClose={palette.close} />
      {accountSwitcher.dialog}
      <AppShell.Main h="100dvh" style={{ display: 'flex', flexDirection: 'column' }}>
        <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}

/** "(3) Switchboard": conversations with unread customer messages that are mine or unassigned. */
function useUnreadTitle(me: Me, filter: InboxFilter): void {
  const all = useConversationList({ ...filter, view: 'all' });
  const unread = (all.data?.pages.flatMap((p) => p.items) ?? []).filter(
    (c) => (c.assigneeId === null || c.assigneeId === me.user.id) && isUnread(c),
  ).length;
  useEffect(() => {
    document.title = unread ? `(${unread}) Switchboard` : 'Switchboard';
  }, [unread]);
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '?').trim().split(/\s+/).filter(Boolean);
  const s =
    parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0] ?? '?').slice(0, 2);
  return s.toUpperCase();
}
