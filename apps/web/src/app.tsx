import { Box, Button, Center, Loader, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { useMe } from './api/session.ts';
import type { Me } from './api/types.ts';
import { ErrorAlert } from './components/error-alert.tsx';
import { AdminPage } from './features/admin/admin-page.tsx';
import { BroadcastsPage } from './features/broadcasts/broadcasts-page.tsx';
import { ContactsPage } from './features/contacts/contacts-page.tsx';
import { InboxPage } from './features/inbox/inbox-page.tsx';
import { inboxFromLocation } from './features/inbox/inbox-route.ts';
import { LoginPage } from './features/login/login-page.tsx';
import { AccessLinkPage } from './features/security/access-link-page.tsx';
import { ForcedStep } from './features/security/forced-step.tsx';
import { SecurityPage } from './features/security/security-page.tsx';
import { ReportsPage } from './features/reports/reports-page.tsx';
import { MentionsPage } from './features/mentions/mentions-page.tsx';
import { SupervisePage } from './features/supervise/supervise-page.tsx';
import { SearchPage } from './features/search/search-page.tsx';
import { searchFromQuery } from './features/search/search-route.ts';
import { TemplatesPage } from './features/templates/templates-page.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { Shell } from './layout/shell.tsx';
import { navigate, useLocation } from './lib/router.ts';
import { LiveProvider } from './realtime/live-provider.tsx';

function Routes({ me }: { me: Me }) {
  const loc = useLocation();
  const [section, sub] = loc.segments;
  const known =
    section === 'inbox' ||
    section === 'team' ||
    section === 'search' ||
    section === 'broadcasts' ||
    section === 'reports' ||
    section === 'contacts' ||
    section === 'templates' ||
    section === 'security' ||
    (section === 'admin' && sub !== undefined);
  useEffect(() => {
    if (!known) navigate('/inbox/mine', { replace: true });
  }, [known]);
  if (section === 'admin' && sub) return <AdminPage me={me} screen={sub} />;
  if (section === 'security')
    return (
      <Box p="md" style={{ overflowY: 'auto', flex: 1 }}>
        <SecurityPage />
      </Box>
    );
  if (section === 'reports')
    return (
      <Box p={{ base: 'xs', sm: 'md' }} style={{ overflowY: 'auto', flex: 1 }}>
        {sub === 'mentions' ? <MentionsPage /> : <ReportsPage />}
      </Box>
    );
  if (section === 'broadcasts') return <BroadcastsPage me={me} sub={sub} />;
  if (section === 'contacts')
    return <ContactsPage me={me} q={loc.query.get('q') ?? ''} label={loc.query.get('label')} />;
  if (section === 'templates')
    return (
      <Box p="md" style={{ overflowY: 'auto', flex: 1 }}>
        <TemplatesPage me={me} />
      </Box>
    );
  if (section === 'search')
    return (
      <Box p="md" style={{ overflowY: 'auto', flex: 1 }}>
        <SearchPage state={searchFromQuery(loc.query)} />
      </Box>
    );
  if (section === 'team')
    return (
      <Box p="md" style={{ overflowY: 'auto', flex: 1 }}>
        <SupervisePage />
      </Box>
    );
  if (section === 'inbox') {
    const { filter, conversationId } = inboxFromLocation(loc);
    return (
      <InboxPage
        me={me}
        filter={filter}
        conversationId={conversationId}
        focusMessageId={loc.query.get('m') ?? undefined}
      />
    );
  }
  return null;
}

export function App() {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending)
    return (
      <Center h="100%">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (me.isError)
    return (
      <Center h="100%" p="md">
        <Stack maw={420}>
          <ErrorAlert error={me.error} />
          <Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  if (!me.data) return window.location.pathname === '/access' ? <AccessLinkPage /> : <LoginPage />;
  if (me.data.passwordChangeRequired || me.data.twoFactorEnrollmentRequired)
    return <ForcedStep me={me.data} />;
  return (
    <LiveProvider me={me.data}>
      <Shell me={me.data}>
        <Routes me={me.data} />
      </Shell>
    </LiveProvider>
  );
}
